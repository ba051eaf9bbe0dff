"""Serve the page: ``python -m nlp.page [streamlit options]`` is ``streamlit run app.py``
with what Streamlit's configuration cannot say.

- **Nothing leaves the machine.** Streamlit looks up the machine's addresses: its external IP
  with an HTTP request to a public "check IP" service, to print it at start-up and, later, to
  judge every websocket handshake from another origin (``is_url_from_allowed_origins``), and
  its internal IP by connecting a UDP socket towards a public address. A visitor's browser on
  another site could so make the server contact an outside host. Here both look-ups answer
  "unknown" without a socket: the allowed origins stay localhost and the configured address.
- **A quick collection after each run.** Streamlit collects all garbage after every run of the
  page (``runner.postScriptGC``), walking every live object: some 170,000 after the imports, about
  100 ms a run, where the page's own work is a few tens. The page's code is imported before the
  server starts and what that made is exempted from full collections (``gc.freeze``): a run's
  collection then walks the sessions' objects only (a few ms).
- **Security headers** on every response: the page may only be framed by itself, content types
  are not guessed, no referrer leaves, and the browser may connect to the page's own server
  only (Content-Security-Policy ``connect-src 'self'``: a second guard behind "nothing is
  sent anywhere").

Run::

    python -m nlp.page                       # the page on http://localhost:8501
    python -m nlp.page --server.port 8600    # any option of ``streamlit run``
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Dict, List, Optional

APP = Path(__file__).resolve().parents[2] / "app.py"

# Streamlit needs inline styles and scripts and its own websocket; Vega (the charts) needs
# eval. Everything else comes from the page's own server.
SECURITY_HEADERS: Dict[str, str] = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; "
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; "
        "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; "
        "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
    ),
}


def keep_lookups_local() -> None:
    """Make Streamlit's address look-ups answer "unknown" without opening a socket."""
    from streamlit import net_util

    net_util.get_external_ip = _unknown
    net_util.get_internal_ip = _unknown


def _unknown() -> Optional[str]:
    return None


def add_security_headers() -> None:
    """Send :data:`SECURITY_HEADERS` with every response of the page's server (Tornado)."""
    from tornado.web import RequestHandler

    if getattr(RequestHandler.clear, "_spine_headers", False):
        return
    original = RequestHandler.clear

    def clear(self: RequestHandler) -> None:
        original(self)
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)

    clear._spine_headers = True  # type: ignore[attr-defined]
    RequestHandler.clear = clear  # type: ignore[method-assign]


def freeze_page_imports() -> None:
    """Import what app.py imports (its module code runs, its ``main`` does not) and exempt it
    from full collections: it lives as long as the server, and no report has been read yet."""
    from nlp.pipeline import freeze_long_lived

    runpy.run_path(str(APP), run_name="spine_page")
    freeze_long_lived()


def main(argv: Optional[List[str]] = None) -> int:
    """Serve app.py as ``streamlit run`` would, with the guards above."""
    from streamlit.web import cli

    keep_lookups_local()
    add_security_headers()
    freeze_page_imports()
    args = sys.argv[1:] if argv is None else argv
    return cli.main(["run", str(APP), *args], standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
