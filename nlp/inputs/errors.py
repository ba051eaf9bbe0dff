"""Why a file could not be read: :class:`ReadError`, its codes and its messages in English and
Dutch (``lexicons/messages.yaml``). Shared by the readers of text, PDF, Word and images."""
from __future__ import annotations

from typing import Any

from nlp.inputs import ocr
from nlp.lexicon import LANGUAGES, LexiconError, load_yaml
from nlp.limits import MAX_BYTES, MAX_CHARS, MAX_DOCX_UNPACKED

ERROR_CODES = (
    "empty",
    "too_large",
    "binary",
    "unsupported_type",
    "not_pdf",
    "encrypted_pdf",
    "scanned_pdf",
    "corrupt_pdf",
    "corrupt_docx",
    "docx_too_large",
    "missing_file",
    "too_long",
    "pdf_too_complex",
    *ocr.ERROR_CODES,
)


class ReadError(Exception):
    """An input that cannot be turned into report text.

    Attributes:
        code: What went wrong, one of :data:`ERROR_CODES`.
        filename: The file as the user named it (may be empty).
        detail: Technical cause for logs (e.g. the parser's message), or None.
    """

    def __init__(self, code: str, filename: str = "", detail: str | None = None) -> None:
        """Create the error.

        Args:
            code: One of :data:`ERROR_CODES`.
            filename: The file as the user named it.
            detail: Technical cause for logs, never shown as the message.

        Raises:
            ValueError: If ``code`` is not a known error code.
        """
        if code not in ERROR_CODES:
            raise ValueError(f"Unknown read error code {code!r} (known: {', '.join(ERROR_CODES)}).")
        super().__init__(code, filename, detail)
        self.code = code
        self.filename = filename
        self.detail = detail

    def message(self, lang: str = "en") -> str:
        """A short sentence saying what went wrong and what to do.

        Args:
            lang: ``"en"`` or ``"nl"``; any other value gives English.

        Returns:
            The message from ``lexicons/messages.yaml`` with the file name filled in.
        """
        lang = lang if lang in LANGUAGES else "en"
        messages = read_error_messages()
        filename = self.filename or messages["input_name"][lang]
        return messages["read_errors"][self.code][lang].format(
            filename=filename,
            max_mb=MAX_BYTES // (1024 * 1024),
            max_docx_mb=MAX_DOCX_UNPACKED // (1024 * 1024),
            max_chars=f"{MAX_CHARS:,}",
            max_megapixels=ocr.MAX_PIXELS // 1_000_000,
            max_pages=ocr.MAX_PAGES,
            install=ocr.INSTALL_HINT,
        )

    def __str__(self) -> str:
        return self.message("en")


def read_error_messages() -> dict[str, Any]:
    """The messages of ``lexicons/messages.yaml``, checked for every code and language.

    Returns:
        The parsed file (``input_name`` and ``read_errors``).

    Raises:
        LexiconError: If the file lacks a code, a language or the ``input_name`` entry.
    """
    data = load_yaml("messages.yaml")
    where = "lexicons/messages.yaml"
    if not isinstance(data, dict) or not isinstance(data.get("read_errors"), dict):
        raise LexiconError(f"{where}: missing the 'read_errors' mapping.")
    entries = {"input_name": data.get("input_name")}
    entries.update({f"read_errors.{code}": data["read_errors"].get(code) for code in ERROR_CODES})
    for key, entry in entries.items():
        missing = [lang for lang in LANGUAGES if not isinstance(entry, dict) or not entry.get(lang)]
        if missing:
            raise LexiconError(f"{where}: '{key}' has no text for {', '.join(missing)}.")
    return data
