"""The page's server contacts no outside host and sends security headers (nlp/page/serve.py, issue 16).

Streamlit judges a websocket handshake from another origin by looking up the machine's
external IP with an HTTP request to a public service, so any web page a visitor opens could make
the server contact an outside host. ``nlp.page.serve`` keeps those look-ups local.
"""
from __future__ import annotations

import socket
import urllib.request

import pytest

from nlp.page import serve
from tests.streamlit_client import streamlit_server


class _Attempt(Exception):
    pass


@pytest.fixture()
def sockets(monkeypatch):
    """Record every name look-up and connection attempt (and refuse it)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise _Attempt(str(args))

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def _judge(origin: str) -> bool:
    from streamlit.web.server import server_util

    return server_util.is_url_from_allowed_origins(origin)


def test_without_the_guard_a_foreign_origin_makes_streamlit_reach_out(sockets, monkeypatch):
    from streamlit import net_util

    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(net_util, "_internal_ip", None)
    try:
        _judge("http://evil.example")
    except _Attempt:
        pass
    assert sockets, "Streamlit 1.40 looks up the external IP for a foreign origin"


def test_with_the_guard_a_foreign_origin_opens_no_socket(sockets, monkeypatch):
    from streamlit import net_util

    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)
    monkeypatch.setattr(net_util, "get_internal_ip", net_util.get_internal_ip)
    serve.keep_lookups_local()
    assert _judge("http://evil.example") is False
    assert _judge("http://localhost:8501") is True
    assert sockets == []


@pytest.mark.slow
def test_every_response_carries_the_security_headers():
    with streamlit_server() as server:
        for path in ("/", "/_stcore/health"):
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=10) as answer:
                for name, value in serve.SECURITY_HEADERS.items():
                    assert answer.headers.get(name) == value, (path, name)
