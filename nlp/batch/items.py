"""One chunk of reports analysed: items in, results out, and the codes batch runs use.

Never raises for one bad report: each gets a :class:`Result` with an error code instead.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from nlp.inputs.language import detect_language
from nlp.inputs.readers import ReadError, read_path
from nlp.lexicon import concepts, load_yaml
from nlp.limits import MAX_CHARS
from nlp.report import FINDING_FIELDS

# sysexits.h where one fits: 64 usage, 70 internal (a worker died), 74 I/O (cannot write).
EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_WORKER, EXIT_IO, EXIT_INTERRUPTED = 0, 2, 64, 70, 74, 130

DEFAULT_BATCH_SIZE = 32

# Columns of the findings output: where the finding is, then interface.md's fields.
FINDING_COLUMNS = ("report_id", "source", "language", *FINDING_FIELDS, "hypothetical")

# Error codes of this module, besides the ReadError codes of nlp/inputs/readers.py.
BAD_ROW = "bad_row"  # a JSONL line that is not a JSON object
NO_TEXT = "no_text"  # the text cell is missing or not text
ANALYSIS_FAILED = "analysis_failed"  # the pipeline raised on this text
UNREADABLE = "unreadable"  # reading the file raised something other than ReadError


class UsageError(ValueError):
    """The command line asks for something impossible (bad input, existing output...)."""


def categories() -> List[str]:
    """The finding categories, in the order of ``lexicons/categories.yaml``."""
    used = {entry["category"] for entry in concepts().values()}
    ordered = [c for c in load_yaml("categories.yaml") if c in used]
    return ordered + sorted(used - set(ordered))


def summary_columns() -> List[str]:
    """Columns of the per-report summary."""
    return [
        "report_id", "source", "language", "n_findings",
        *(f"n_{c}" for c in categories()),
        "status", "error_code", "error_message",
    ]


@dataclass(frozen=True)
class Item:
    """One report to analyse: its text, or a file to read, or why it cannot be had."""

    report_id: str
    source: str
    text: Optional[str] = None
    path: Optional[str] = None
    error_code: Optional[str] = None
    error_message: Optional[str] = None


@dataclass
class Result:
    """The analysis of one report: its findings (``Finding.to_dict()``) or an error."""

    report_id: str
    source: str
    language: Optional[str]
    findings: List[Dict[str, Any]] = field(default_factory=list)
    error_code: Optional[str] = None
    error_message: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def finding_rows(self) -> List[Dict[str, Any]]:
        """One output row per finding (levels still a list)."""
        head = {"report_id": self.report_id, "source": self.source, "language": self.language}
        return [{**head, **finding} for finding in self.findings]

    def summary_row(self, cats: Sequence[str]) -> Dict[str, Any]:
        # A ruled-out finding ("no fracture") is not a finding of its category.
        counts = Counter(f["category"] for f in self.findings if not f["negated"])
        row: Dict[str, Any] = {
            "report_id": self.report_id,
            "source": self.source,
            "language": self.language,
            "n_findings": len(self.findings),
        }
        row.update({f"n_{c}": counts.get(c, 0) for c in cats})
        row.update(
            status="ok" if self.ok else "error",
            error_code=self.error_code,
            error_message=self.error_message,
        )
        return row


class _ItemError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message


def _text_of(item: Item) -> str:
    """The report text of an item (reading its file if needed), or an _ItemError."""
    if item.error_code:
        raise _ItemError(item.error_code, item.error_message or item.error_code)
    text = item.text
    if item.path is not None:
        try:
            text = read_path(item.path)
        except ReadError as e:
            raise _ItemError(e.code, e.message("en")) from e
        except Exception as e:  # a reader bug must not stop the run
            raise _ItemError(UNREADABLE, f"{item.path}: {type(e).__name__}: {e}") from e
    if text is None or not isinstance(text, str):
        raise _ItemError(NO_TEXT, f"Row {item.report_id} has no text in the text column.")
    if not text.strip():
        raise _ItemError("empty", ReadError("empty", item.source).message("en"))
    if len(text) > MAX_CHARS:
        # The analyser's one limit, in characters, with the code and message a file over it
        # gets from the readers ("too_long"; "too_large" is a file over the byte limit).
        too_long = ReadError("too_long", item.source, detail=f"{len(text)} characters")
        raise _ItemError(too_long.code, too_long.message("en"))
    return text


_FINDING_KEYS = (*FINDING_FIELDS, "hypothetical")


def _findings_of(doc: Any) -> List[Dict[str, Any]]:
    """``Finding.to_dict()`` of each finding, for the output's columns.

    Read from the attributes rather than through ``to_dict``: its ``dataclasses.asdict``
    took about an eighth of a batch run's time.
    """
    from nlp.report import Report

    return [
        {k: list(f.levels) if k == "levels" else getattr(f, k) for k in _FINDING_KEYS}
        for f in Report.from_doc(doc).findings
    ]


def _analyse_texts(nlp: Any, texts: List[str], batch_size: int) -> List[Any]:
    """Findings per text, or the exception the pipeline raised on that text."""
    out: List[Any] = []
    try:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            out.append(_findings_of(doc))
    except Exception:  # find the culprit: the rest one text at a time
        for text in texts[len(out):]:
            try:
                out.append(_findings_of(nlp(text)))
            except Exception as e:
                out.append(e)
    return out


def analyse_items(
    items: Sequence[Item], lang: str = "auto", batch_size: int = DEFAULT_BATCH_SIZE
) -> List[Result]:
    """Analyse a chunk of reports, in order; never raises for one bad report.

    Texts are grouped by language (detected per text for ``lang="auto"``) and each group
    goes through ``nlp.load(lang).pipe``, which builds each pipeline once per process.
    """
    from nlp.pipeline import load

    fixed = "" if lang == "auto" else lang
    results: List[Optional[Result]] = [None] * len(items)
    groups: Dict[str, List[Tuple[int, str]]] = {}
    for i, item in enumerate(items):
        try:
            text = _text_of(item)
        except _ItemError as e:
            results[i] = Result(item.report_id, item.source, fixed or None, [], e.code, e.message)
            continue
        language = fixed or detect_language(text)
        groups.setdefault(language, []).append((i, text))
    for language, members in groups.items():
        analysed = _analyse_texts(load(language), [t for _, t in members], batch_size)
        for (i, _), found in zip(members, analysed):
            item = items[i]
            if isinstance(found, Exception):
                message = f"analysis failed: {type(found).__name__}: {found}"
                results[i] = Result(
                    item.report_id, item.source, language, [], ANALYSIS_FAILED, message
                )
            else:
                results[i] = Result(item.report_id, item.source, language, found)
    return results  # type: ignore[return-value]


@dataclass
class Tally:
    """What a chunk gave: reports, findings, and (report id, reason) per error."""

    reports: int
    findings: int
    errors: List[Tuple[str, str]]

    @classmethod
    def of(cls, results: Sequence[Result]) -> "Tally":
        return cls(
            reports=len(results),
            findings=sum(len(r.findings) for r in results),
            errors=[(r.report_id, r.error_message or "") for r in results if not r.ok],
        )

