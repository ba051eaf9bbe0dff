"""Analyse many reports in one run: ``python -m nlp batch INPUT --out OUT``.

Input (``INPUT``)
    * a folder: every ``.txt``, ``.pdf`` and ``.docx`` file in it and its subfolders, in
      sorted order of the relative path (``report_id`` is that path, ``source`` the path
      as found);
    * a ``.csv`` file, a ``.jsonl`` file, or a ``.parquet`` file (or a folder of Parquet
      parts whose name ends in ``.parquet``) with a text column (``--text-column``,
      default ``text``) and optionally an id column (``--id-column``, default ``id``).
      Without an id (no column, or an empty cell) the report id is the row number,
      counted from 1. ``source`` is ``<input>:<row number>``.

    A report id that occurs again is renamed ``<id>#2``, ``<id>#3``, ... (and logged), so
    every output row belongs to exactly one report and ``--resume`` stays exact.

Output (``--out OUT``; the format follows the extension)
    * the findings, one row per finding: ``report_id``, ``source``, ``language`` and the
      fields of :data:`nlp.report.FINDING_FIELDS` plus ``hypothetical``. ``levels`` is a
      ``;``-joined string in CSV and a list in JSONL and Parquet;
    * next to it the per-report summary ``<OUT stem>.summary.<ext>``: ``report_id``,
      ``source``, ``language``, ``n_findings`` (every mention, ruled out ones included),
      ``n_<category>`` for each finding category (only findings the report states as present),
      ``status`` (``ok`` or ``error``), ``error_code`` and ``error_message``.

    ``.csv`` and ``.jsonl`` are single files, appended chunk by chunk. ``.parquet`` is a
    *directory* of part files (``OUT/part-000000.parquet``, ...; the summary likewise in
    ``<stem>.summary.parquet/``), because a Parquet file cannot be appended to: each chunk
    is one new part, written to a hidden temporary name and renamed, so a part is either
    complete or absent. Read either directory whole with ``pandas.read_parquet(OUT)``.

Streaming
    Reports are read, analysed and written in chunks (``--chunk-size``, default 256); only
    one chunk of results (per worker, plus a small read-ahead) is held at once, so memory
    stays flat however many reports go in. Per language, texts go through
    ``nlp.load(lang).pipe(texts, batch_size=--batch-size)``; ``nlp.load`` builds the pipeline
    again once its vocabulary (every word seen) has grown by ``nlp.limits.MAX_NEW_STRINGS``.

Errors
    A report that cannot be read or analysed is logged on stderr (one line: id and reason),
    recorded in the summary with ``status=error``, and the run goes on. The exit status is
    then 2 (as for ``python -m nlp analyse``); 0 when every report was analysed. A CSV row
    with another number of cells than the header, or a quote never closed, is such an error
    (not guessed at); NUL characters in a cell are kept.
    What stops the run gets one line on stderr and no traceback: a usage error (64: also an
    ``--out`` that is the input, holds it, or is a folder with other files, which
    ``--overwrite`` never deletes), a worker that died (70), a disk that is full or not
    writable (74), Ctrl-C or SIGTERM (130; local workers end with the parent). All but the
    usage errors can be continued with ``--resume``.

Resume (``--resume``)
    The summary is the record of what is done: a chunk's summary rows are written only after
    its finding rows are flushed to disk. On resume, summary rows cut off by the
    interruption are dropped, finding rows of reports without a summary row are removed,
    and the reports already in the summary are skipped; the rest is appended. Without
    ``--resume`` or ``--overwrite`` an existing output is never touched.

Parallel
    ``--workers N`` analyses chunks in N local processes (spawned; each loads each
    pipeline once); output order stays the input order. ``--engine dask`` runs on a Dask
    cluster (``--scheduler ADDRESS``, or a ``LocalCluster`` of ``--workers`` processes, 2 by
    default, one thread each): the input is first staged as partitioned Parquet next to
    ``OUT`` (``<stem>.staging/``, removed afterwards), each partition is analysed on a worker
    (pipelines loaded once per worker process) and written as one Parquet part of ``OUT``
    and of the summary, numbered in input order. ``OUT`` must then end in ``.parquet``; on
    a remote cluster it must be on a file system the workers share, and the workers need
    this package importable.
"""
from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from nlp.present.cells import defuse, restore
from nlp.inputs.language import detect_language
from nlp.lexicon import concepts, load_yaml
from nlp.limits import MAX_CHARS
from nlp.inputs.readers import SUPPORTED_EXTENSIONS, ReadError, read_path
from nlp.report import FINDING_FIELDS

# sysexits.h where one fits: 64 usage, 70 internal (a worker died), 74 I/O (cannot write).
EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_WORKER, EXIT_IO, EXIT_INTERRUPTED = 0, 2, 64, 70, 74, 130

ORPHAN_CHECK_SECONDS = 0.5
DEFAULT_CHUNK_SIZE = 256
DEFAULT_BATCH_SIZE = 32
TABLE_INPUTS = (".csv", ".jsonl", ".ndjson", ".parquet", ".pq")

# Columns of the findings output: where the finding is, then interface.md's fields.
FINDING_COLUMNS = ("report_id", "source", "language", *FINDING_FIELDS, "hypothetical")
_PART_RE = re.compile(r"^part-(\d+)\.parquet$")
_TMP_PART_RE = re.compile(r"^\.part-(\d+)\.parquet\.tmp$")

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


# --- reports in, results out ----------------------------------------------------------


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
        raise _ItemError(
            "too_large",
            f"{item.source}: the text is {len(text):,} characters long; the limit is "
            f"{MAX_CHARS:,}. Analyse one report per row.",
        )
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


# --- input ----------------------------------------------------------------------------


def _is_parquet_dir(path: Path) -> bool:
    return path.is_dir() and path.suffix.lower() in (".parquet", ".pq")


def _report_files(folder: Path) -> List[Path]:
    files = [
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _parquet_files(path: Path) -> List[Path]:
    if path.is_file():
        return [path]
    return sorted(
        (p for p in path.rglob("*.parquet")
         if not any(part[:1] in "._" for part in p.relative_to(path).parts)),
        key=lambda p: p.relative_to(path).as_posix(),
    )


@dataclass
class Source:
    """Where the reports come from, and how to read them in order."""

    path: Path
    text_column: str = "text"
    id_column: str = "id"
    encoding: str = "utf-8"
    chunk_size: int = DEFAULT_CHUNK_SIZE

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.exists():
            raise UsageError(f"{self.path}: no such file or folder.")
        if self.path.is_dir() and not _is_parquet_dir(self.path):
            self.kind = "folder"
        else:
            suffix = self.path.suffix.lower()
            if suffix not in TABLE_INPUTS:
                raise UsageError(
                    f"{self.path}: give a folder of .txt/.pdf/.docx files, or a "
                    f".csv, .jsonl or .parquet file."
                )
            self.kind = {".ndjson": "jsonl", ".pq": "parquet"}.get(suffix, suffix[1:])
        self._check_columns()

    def _check_columns(self) -> None:
        if self.kind == "csv":
            columns = _csv_header(self.path, self.encoding)
            self._csv_columns = columns
        elif self.kind == "parquet":
            files = _parquet_files(self.path)
            if not files:
                raise UsageError(f"{self.path}: no Parquet files in it.")
            import pyarrow.parquet as pq

            columns = pq.ParquetFile(files[0]).schema_arrow.names
        else:
            return
        if self.text_column not in columns:
            raise UsageError(
                f"{self.path}: no column {self.text_column!r} "
                f"(columns: {', '.join(map(str, columns))}); "
                f"name the text column with --text-column."
            )
        self._has_id = self.id_column in columns

    def count(self) -> Optional[int]:
        """How many reports there are (one quick pass), for the progress bar."""
        if self.kind == "folder":
            return len(_report_files(self.path))
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            return sum(pq.ParquetFile(f).metadata.num_rows for f in _parquet_files(self.path))
        if self.kind == "jsonl":
            with self.path.open("rb") as f:
                return sum(1 for line in f if line.strip())
        if self.kind == "csv":
            return sum(1 for _ in _csv_rows(self.path, self.encoding))
        return None

    def items(self) -> Iterator[Item]:
        """The reports in input order, read lazily (files are read by the analysing side)."""
        if self.kind == "folder":
            for p in _report_files(self.path):
                rid = p.relative_to(self.path).as_posix()
                yield Item(report_id=rid, source=str(p), path=str(p))
        elif self.kind == "jsonl":
            yield from self._jsonl_items()
        elif self.kind == "csv":
            yield from self._csv_items()
        else:
            yield from self._table_items()

    def _row_item(self, n: int, text: Any, rid: Any) -> Item:
        rid = _clean(rid)
        report_id = str(rid) if rid not in (None, "") else str(n)
        text = _clean(text)
        return Item(
            report_id=report_id,
            source=f"{self.path}:{n}",
            text=text if isinstance(text, str) else None,
        )

    def _jsonl_items(self) -> Iterator[Item]:
        n = 0
        with self.path.open(encoding=self.encoding) as f:
            for line in f:
                if not line.strip():
                    continue
                n += 1
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    obj = e
                if not isinstance(obj, dict):
                    why = f"line {n} is not a JSON object"
                    if isinstance(obj, Exception):
                        why += f" ({obj})"
                    yield Item(str(n), f"{self.path}:{n}", error_code=BAD_ROW, error_message=why)
                    continue
                yield self._row_item(n, obj.get(self.text_column), obj.get(self.id_column))

    def _csv_items(self) -> Iterator[Item]:
        text_at = self._csv_columns.index(self.text_column)
        id_at = self._csv_columns.index(self.id_column) if self._has_id else None
        for n, (cells, problem) in enumerate(_csv_rows(self.path, self.encoding), start=1):
            if cells is None:
                yield Item(str(n), f"{self.path}:{n}", error_code=BAD_ROW, error_message=problem)
            else:
                yield self._row_item(n, cells[text_at], cells[id_at] if id_at is not None else None)

    def _table_items(self) -> Iterator[Item]:
        n = 0
        for text_values, id_values in self._table_chunks():
            for i, text in enumerate(text_values):
                n += 1
                yield self._row_item(n, text, id_values[i] if id_values is not None else None)

    def _table_chunks(self) -> Iterator[Tuple[List[Any], Optional[List[Any]]]]:
        import pyarrow.parquet as pq

        columns = [self.text_column] + ([self.id_column] if self._has_id else [])
        for file in _parquet_files(self.path):
            pf = pq.ParquetFile(file)
            names = pf.schema_arrow.names
            cols = [c for c in columns if c in names]
            for batch in pf.iter_batches(batch_size=self.chunk_size, columns=cols):
                data = batch.to_pydict()
                texts = data.get(self.text_column, [None] * batch.num_rows)
                yield texts, data.get(self.id_column)


def _open_csv(path: Path, encoding: str) -> Any:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * MAX_CHARS))
    # utf-8-sig reads a file with and without a byte order mark alike.
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    return path.open(encoding="utf-8-sig" if utf8 else encoding, newline="")


def _csv_header(path: Path, encoding: str) -> List[str]:
    with _open_csv(path, encoding) as f:
        return next(csv.reader(f), [])


def _csv_rows(path: Path, encoding: str) -> Iterator[Tuple[Optional[List[str]], str]]:
    """Each record after the header: ``(cells, "")``, or ``(None, why)`` for one that is not.

    Python's csv module, not pandas: pandas' reader cuts a cell at a NUL character and
    silently fills or drops cells of a row whose width differs from the header's. Here a
    row of another width is reported, and so is a quote that is never closed (strict mode),
    which would otherwise swallow every later row into one cell.
    """
    with _open_csv(path, encoding) as f:
        reader = csv.reader(f, strict=True)
        header = next(reader, None)
        if header is None:
            return
        line = reader.line_num + 1
        try:
            for cells in reader:
                if cells and len(cells) != len(header):
                    yield None, (
                        f"line {line} has {len(cells)} cells where the header has "
                        f"{len(header)}; check the quotes and separators of that row"
                    )
                elif cells:
                    yield cells, ""
                line = reader.line_num + 1
        except csv.Error as e:
            yield None, (
                f"from line {line} on the file is not valid CSV ({e}); a quote may be "
                f"opened and never closed. The rows after it were not read."
            )


def _clean(value: Any) -> Any:
    """None for missing values (None, NaN, pandas NA)."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):  # pandas NA refuses comparison
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _unique_ids(items: Iterable[Item], log: Callable[[str], None]) -> Iterator[Item]:
    """Rename a repeated report id to ``<id>#2``, ``<id>#3``, ... (deterministic)."""
    seen: Set[str] = set()
    for item in items:
        rid = item.report_id
        if rid in seen:
            k = 2
            while f"{rid}#{k}" in seen:
                k += 1
            new = f"{rid}#{k}"
            log(f"{rid}: report id occurs more than once; this one is {new}")
            item = Item(new, item.source, item.text, item.path, item.error_code, item.error_message)
            rid = new
        seen.add(rid)
        yield item


def _batched(items: Iterable[Item], size: int) -> Iterator[List[Item]]:
    batch: List[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- output ---------------------------------------------------------------------------


def summary_path(out: Path) -> Path:
    """``results.csv`` -> ``results.summary.csv`` (same folder)."""
    return out.with_name(f"{out.stem}.summary{out.suffix}")


def _fsync(f: Any) -> None:
    f.flush()
    os.fsync(f.fileno())


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return defuse(";".join(value))
    return "" if value is None else defuse(value)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


class Output:
    """Findings plus summary in one format; appends chunk by chunk."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.summary = summary_path(self.out)
        self.cats = categories()
        self.summary_fields = summary_columns()

    def exists(self) -> bool:
        return self.out.exists() or self.summary.exists()

    def paths(self) -> List[Path]:
        """What this output writes (and may replace)."""
        return [self.out, self.summary]

    def owns_folder(self, folder: Path) -> bool:
        """True when ``folder`` holds nothing but what this output writes there."""
        return False

    def remove(self) -> None:
        _remove(self.out)
        _remove(self.summary)

    def prepare(self, resume: bool) -> Set[str]:
        """Open for writing; with ``resume``, repair and return the ids already done."""
        raise NotImplementedError

    def write(self, results: Sequence[Result]) -> None:
        """Append a chunk: finding rows first (flushed to disk), then summary rows."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class _LineOutput(Output):
    """CSV and JSONL: one file each, rewritten once on resume and then appended to."""

    def prepare(self, resume: bool) -> Set[str]:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        done: Set[str] = set()
        if resume and self.summary.exists():
            done = self._repair(self.summary, self.summary_fields, None)
        if resume and self.out.exists():
            self._repair(self.out, list(FINDING_COLUMNS), done)
        else:
            _remove(self.out)
        if not done:
            _remove(self.summary)
        self._f = self._open(self.out, list(FINDING_COLUMNS))
        self._s = self._open(self.summary, self.summary_fields)
        return done

    def _repair(self, path: Path, fields: List[str], keep: Optional[Set[str]]) -> Set[str]:
        """Rewrite ``path`` with only its complete records (and only ids in ``keep``)."""
        ids: Set[str] = set()
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as f:
            self._header(f, fields)
            for record in self._records(path, fields):
                rid = record["report_id"]
                if keep is None or rid in keep:
                    ids.add(rid)
                    self._put(f, fields, record)
            _fsync(f)
        os.replace(tmp, path)
        return ids

    def _open(self, path: Path, fields: List[str]) -> Any:
        fresh = not path.exists() or path.stat().st_size == 0
        f = path.open("a", encoding="utf-8", newline="")
        if fresh:
            self._header(f, fields)
            _fsync(f)
        return f

    def write(self, results: Sequence[Result]) -> None:
        fields = list(FINDING_COLUMNS)
        for result in results:
            for row in result.finding_rows():
                self._put(self._f, fields, row)
        _fsync(self._f)
        for result in results:
            self._put(self._s, self.summary_fields, result.summary_row(self.cats))
        _fsync(self._s)

    def close(self) -> None:
        for f in (getattr(self, "_f", None), getattr(self, "_s", None)):
            if f is not None and not f.closed:
                f.close()

    # format specifics
    def _header(self, f: Any, fields: List[str]) -> None:
        raise NotImplementedError

    def _put(self, f: Any, fields: List[str], row: Dict[str, Any]) -> None:
        raise NotImplementedError

    def _records(self, path: Path, fields: List[str]) -> Iterator[Dict[str, Any]]:
        raise NotImplementedError


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() == 0:
            return True
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


class CsvOutput(_LineOutput):
    def _header(self, f: Any, fields: List[str]) -> None:
        csv.writer(f).writerow(fields)

    def _put(self, f: Any, fields: List[str], row: Dict[str, Any]) -> None:
        csv.writer(f).writerow([_csv_value(row.get(k)) for k in fields])

    def _records(self, path: Path, fields: List[str]) -> Iterator[Dict[str, Any]]:
        """Complete records only: a record cut off by an interruption is dropped."""
        csv.field_size_limit(max(csv.field_size_limit(), 64 * MAX_CHARS))
        clean_end = _ends_with_newline(path)
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            try:
                if next(reader, None) != fields:
                    return
                previous = None
                for row in reader:
                    if previous is not None and len(previous) == len(fields):
                        yield dict(zip(fields, map(restore, previous)))
                    previous = row
            except csv.Error:  # a record cut inside a quoted field
                return
            if previous is not None and clean_end and len(previous) == len(fields):
                yield dict(zip(fields, map(restore, previous)))


class JsonlOutput(_LineOutput):
    def _header(self, f: Any, fields: List[str]) -> None:
        pass

    def _put(self, f: Any, fields: List[str], row: Dict[str, Any]) -> None:
        f.write(json.dumps({k: row.get(k) for k in fields}, ensure_ascii=False) + "\n")

    def _records(self, path: Path, fields: List[str]) -> Iterator[Dict[str, Any]]:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if not line.endswith("\n"):
                    return  # cut off
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and "report_id" in record:
                    yield record


def _findings_schema() -> Any:
    import pyarrow as pa

    types = {
        "start": pa.int64(), "end": pa.int64(), "levels": pa.list_(pa.string()),
        "negated": pa.bool_(), "uncertain": pa.bool_(), "historical": pa.bool_(),
        "hypothetical": pa.bool_(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in FINDING_COLUMNS])


def _summary_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        (name, pa.int64() if name.startswith("n_") else pa.string())
        for name in summary_columns()
    ])


def _write_part(folder: Path, number: int, rows: List[Dict[str, Any]], schema: Any) -> None:
    """One Parquet part, written under a hidden name and renamed: complete or absent."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    final = folder / f"part-{number:06d}.parquet"
    tmp = folder / f".part-{number:06d}.parquet.tmp"
    pq.write_table(table, tmp)
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, final)


def write_parquet_parts(
    out: Path, number: int, results: Sequence[Result], cats: Optional[Sequence[str]] = None
) -> None:
    """Write a chunk as part ``number`` of the findings and then of the summary."""
    out = Path(out)
    cats = categories() if cats is None else cats
    findings = [row for r in results for row in r.finding_rows()]
    _write_part(out, number, findings, _findings_schema())
    summary = [r.summary_row(cats) for r in results]
    _write_part(summary_path(out), number, summary, _summary_schema())


def _parts(folder: Path) -> Dict[int, Path]:
    if not folder.is_dir():
        return {}
    found = {}
    for p in folder.iterdir():
        m = _PART_RE.match(p.name)
        if m:
            found[int(m.group(1))] = p
    return found


class ParquetOutput(Output):
    """A directory of parts for the findings and one for the summary, numbered alike."""

    def owns_folder(self, folder: Path) -> bool:
        return all(
            _PART_RE.match(p.name) or _TMP_PART_RE.match(p.name) for p in Path(folder).iterdir()
        )

    def prepare(self, resume: bool) -> Set[str]:
        import pyarrow.parquet as pq

        done: Set[str] = set()
        if not resume:
            self.remove()
        for folder in (self.out, self.summary):
            if folder.exists() and not folder.is_dir():
                raise UsageError(f"{folder} is a file; Parquet output is a folder of parts.")
            folder.mkdir(parents=True, exist_ok=True)
            for p in folder.glob(".part-*.tmp"):
                p.unlink()
        summary_parts = _parts(self.summary)
        for number, p in _parts(self.out).items():
            if number not in summary_parts:  # findings written, summary not: redo
                p.unlink()
        for p in summary_parts.values():
            ids = pq.read_table(p, columns=["report_id"]).column(0).to_pylist()
            done.update(str(x) for x in ids)
        self.next_part = max(summary_parts, default=-1) + 1
        return done

    def write(self, results: Sequence[Result]) -> None:
        write_parquet_parts(self.out, self.next_part, results, self.cats)
        self.next_part += 1


def _refuse_unsafe_targets(input_path: Path, targets: Sequence[Path], output: Output) -> None:
    """Refuse a run that would overwrite or delete the input or a folder it did not write.

    ``--overwrite`` and ``--resume`` replace what batch wrote before, nothing else: the
    input (also under another spelling of its path), a folder holding the input, or a
    folder with files of its own are never removed.
    """
    source = input_path.resolve()
    for target in targets:
        where = target.resolve()
        if where == source or where in source.parents:
            raise UsageError(
                f"{target} is the input {input_path} (or holds it): writing there would "
                f"destroy the reports. Choose another --out."
            )
        if where.is_dir() and not output.owns_folder(target):
            raise UsageError(
                f"{target} is a folder with other files in it; batch will not replace it. "
                f"Choose another --out."
            )
        if where.exists() and not where.is_dir() and isinstance(output, ParquetOutput):
            raise UsageError(
                f"{target} is a file; Parquet output is a folder of parts. Choose another --out."
            )


def make_output(out: Path) -> Output:
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return CsvOutput(out)
    if suffix == ".jsonl":
        return JsonlOutput(out)
    if suffix == ".parquet":
        return ParquetOutput(out)
    raise UsageError(f"--out {out}: the output must end in .csv, .jsonl or .parquet.")


# --- running --------------------------------------------------------------------------


@dataclass
class BatchStats:
    """What a run did."""

    reports: int = 0
    findings: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


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


def _init_worker(lang: str, parent: int) -> None:
    """A local worker process: leave Ctrl-C to the parent, end with the parent, build a
    fixed pipeline now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    if lang != "auto":
        from nlp.pipeline import load

        load(lang)


def _end_with(parent: int) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, say): no orphans."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(EXIT_INTERRUPTED)


def _pool_results(
    tasks: Iterable[List[Item]], workers: int, lang: str, batch_size: int
) -> Iterator[List[Result]]:
    """Analyse tasks in ``workers`` spawned processes; results in task order.

    At most ``2 * workers`` tasks are in flight, so the input is read only a little ahead.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(lang, os.getpid()),
    )
    pending: deque = deque()
    try:
        for task in tasks:
            pending.append(pool.submit(analyse_items, task, lang, batch_size))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def _progress(total: Optional[int], initial: int, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, unit="report", file=sys.stderr, disable=quiet,
        dynamic_ncols=True, smoothing=0.1,
    )


def run_batch(
    input_path: str | Path,
    out: str | Path,
    *,
    lang: str = "auto",
    text_column: str = "text",
    id_column: str = "id",
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: Optional[int] = None,
    engine: str = "local",
    scheduler: Optional[str] = None,
    resume: bool = False,
    overwrite: bool = False,
    quiet: bool = False,
) -> BatchStats:
    """Analyse every report of ``input_path`` into ``out`` (see the module doc).

    Raises:
        UsageError: for an unusable input or output, or an existing output without
            ``resume`` or ``overwrite``.
        KeyboardInterrupt: when interrupted; what was written can be resumed.
    """
    if lang not in ("auto", "en", "nl"):
        raise UsageError(f"--lang {lang}: choose auto, en or nl.")
    if chunk_size < 1 or batch_size < 1 or (workers is not None and workers < 1):
        raise UsageError("--chunk-size, --batch-size and --workers must be at least 1.")
    source = Source(Path(input_path), text_column, id_column, encoding, chunk_size)
    output = make_output(Path(out))
    if engine == "dask" and not isinstance(output, ParquetOutput):
        raise UsageError("--engine dask writes partitioned Parquet: give --out ending in .parquet.")
    targets = output.paths() + ([staging_path(output.out)] if engine == "dask" else [])
    _refuse_unsafe_targets(source.path, targets, output)
    if output.exists() and not (resume or overwrite):
        raise UsageError(
            f"{output.out} or {output.summary} exists: pass --resume to continue that run, "
            f"or --overwrite to start again."
        )

    def log(line: str) -> None:
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr)

    started = time.perf_counter()
    done = output.prepare(resume)
    try:
        total = source.count() if not quiet else None
        bar = _progress(total, min(len(done), total or len(done)), quiet)
        stats = BatchStats(skipped=len(done))
        todo = (it for it in _unique_ids(source.items(), log) if it.report_id not in done)

        def record(tally: Tally) -> None:
            for report_id, message in tally.errors:
                log(f"{report_id}: {message}")
            stats.reports += tally.reports
            stats.errors += len(tally.errors)
            stats.findings += tally.findings
            bar.update(tally.reports)

        try:
            if engine == "dask":
                _run_dask(todo, output, lang, chunk_size, batch_size, workers, scheduler, record)
            else:
                _run_local(todo, output, lang, chunk_size, batch_size, workers or 1, record)
        finally:
            bar.close()
    finally:
        output.close()
    stats.seconds = time.perf_counter() - started
    return stats


def _run_local(
    todo: Iterable[Item], output: Output, lang: str, chunk_size: int, batch_size: int,
    workers: int, record: Callable[[Tally], None],
) -> None:
    if workers == 1:  # small tasks only to move the progress bar more often
        task_size = min(chunk_size, 2 * batch_size)
        results: Iterable[List[Result]] = (
            analyse_items(task, lang, batch_size) for task in _batched(todo, task_size)
        )
    else:
        task_size = max(1, math.ceil(chunk_size / workers))
        results = _pool_results(_batched(todo, task_size), workers, lang, batch_size)
    buffer: List[Result] = []
    for chunk in results:
        record(Tally.of(chunk))
        buffer.extend(chunk)
        if len(buffer) >= chunk_size:
            output.write(buffer)
            buffer = []
    if buffer:
        output.write(buffer)


# --- Dask -----------------------------------------------------------------------------

_STAGING_FIELDS = ("report_id", "source", "text", "path", "error_code", "error_message")


def staging_path(out: Path) -> Path:
    """Where the Dask engine stages the input as partitioned Parquet."""
    return out.with_name(f"{out.stem}.staging")


def _stage(todo: Iterable[Item], folder: Path, partition_size: int) -> int:
    """Write the reports still to do as Parquet parts of ``partition_size`` rows."""
    import pyarrow as pa

    schema = pa.schema([(name, pa.string()) for name in _STAGING_FIELDS])
    _remove(folder)
    folder.mkdir(parents=True)
    n = 0
    for number, batch in enumerate(_batched(todo, partition_size)):
        rows = [{k: getattr(item, k) for k in _STAGING_FIELDS} for item in batch]
        _write_part(folder, number, rows, schema)
        n += 1
    return n


def analyse_partition(
    frame: Any, number: int, out: str, lang: str, batch_size: int
) -> "Tally":
    """Dask task: analyse one staged partition and write it as part ``number`` of ``out``.

    Runs in a worker process; ``nlp.load`` builds each pipeline once per process.
    Returns the counts and the errors, for the client to log.
    """
    items = [
        Item(**{k: _clean(v) for k, v in zip(_STAGING_FIELDS, row)})
        for row in frame[list(_STAGING_FIELDS)].itertuples(index=False, name=None)
    ]
    results = analyse_items(items, lang, batch_size)
    write_parquet_parts(Path(out), number, results)
    return Tally.of(results)


def _run_dask(
    todo: Iterable[Item], output: Output, lang: str, chunk_size: int, batch_size: int,
    workers: Optional[int], scheduler: Optional[str], record: Callable[[Tally], None],
) -> None:
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, as_completed

    assert isinstance(output, ParquetOutput)
    out = output.out.resolve()  # workers may run elsewhere: absolute paths only
    staging = staging_path(out)
    try:
        if not _stage(todo, staging, chunk_size):
            return
        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(
                n_workers=workers or 2, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        try:
            frame = dd.read_parquet(str(staging), columns=list(_STAGING_FIELDS))
            first = output.next_part
            analyse = dask.delayed(analyse_partition, pure=False)
            tasks = [
                analyse(part, first + i, str(out), lang, batch_size)
                for i, part in enumerate(frame.to_delayed())
            ]
            futures = client.compute(tasks)
            try:
                for future in as_completed(futures):
                    record(future.result())
            except BaseException:
                client.cancel(futures)
                raise
            output.next_part = first + len(tasks)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    finally:
        _remove(staging)


# --- command line ---------------------------------------------------------------------


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # the same orderly stop as Ctrl-C: workers ended, output resumable


def cmd_batch(args: argparse.Namespace) -> int:
    """``python -m nlp batch``: see the module doc."""
    from concurrent.futures.process import BrokenProcessPool

    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm) if on_main_thread else None
    try:
        stats = run_batch(
            args.input, args.out, lang=args.lang, text_column=args.text_column,
            id_column=args.id_column, encoding=args.encoding, chunk_size=args.chunk_size,
            batch_size=args.batch_size, workers=args.workers, engine=args.engine,
            scheduler=args.scheduler, resume=args.resume, overwrite=args.overwrite,
            quiet=args.quiet,
        )
    except UsageError as e:
        print(f"batch: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            "batch: interrupted; run the same command with --resume to continue.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BrokenProcessPool:
        print(
            "batch: a worker process stopped unexpectedly (killed, or out of memory); "
            "run the same command with --resume to continue, with fewer --workers if "
            "memory is short.",
            file=sys.stderr,
        )
        return EXIT_WORKER
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(
            f"batch: cannot read or write{where}: {e.strerror or e}. Check the disk space "
            f"and permissions, then run the same command with --resume.",
            file=sys.stderr,
        )
        return EXIT_IO
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        print(
            f"batch: {stats.reports} reports done, {stats.errors} of them with an error, "
            f"{stats.skipped} done before; {stats.findings} findings in {stats.seconds:.1f} s "
            f"({stats.rate:.1f} reports/s) "
            f"-> {args.out} and {summary_path(Path(args.out))}",
            file=sys.stderr,
        )
    return EXIT_UNREADABLE if stats.errors else EXIT_OK


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from e
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_batch_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``batch`` subcommand on the CLI's subparsers."""
    p = subparsers.add_parser(
        "batch",
        help="analyse a folder or a table of reports into CSV, JSONL or Parquet",
        description=(
            "Analyse many reports: a folder of .txt/.pdf/.docx files (recursively), or a "
            ".csv, .jsonl or .parquet table with a text column. Writes one row per finding "
            "to OUT and one row per report to OUT's stem + .summary.<ext>. Parquet output "
            "is a folder of part files."
        ),
    )
    p.add_argument("input", metavar="INPUT", help="folder, .csv, .jsonl or .parquet")
    p.add_argument("--out", required=True, metavar="OUT", help="output .csv, .jsonl or .parquet")
    p.add_argument("--lang", choices=["auto", "nl", "en"], default="auto")
    p.add_argument("--text-column", default="text",
                   help="column with the report text (default: text)")
    p.add_argument("--id-column", default="id",
                   help="column with the report id (default: id; else the row number)")
    p.add_argument("--encoding", default="utf-8",
                   help="encoding of a CSV or JSONL input (default: utf-8)")
    p.add_argument("--chunk-size", type=_positive, default=DEFAULT_CHUNK_SIZE,
                   help=f"reports read and written at a time (default: {DEFAULT_CHUNK_SIZE}); "
                        "also the Dask partition size")
    p.add_argument("--batch-size", type=_positive, default=DEFAULT_BATCH_SIZE,
                   help=f"spaCy nlp.pipe batch size (default: {DEFAULT_BATCH_SIZE})")
    p.add_argument("--workers", type=_positive, default=None,
                   help="local processes (default 1); with --engine dask and no --scheduler: "
                        "LocalCluster workers (default 2)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="Dask scheduler address (default: a LocalCluster on this machine)")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="continue an interrupted run into the same OUT, "
                            "skipping reports already done")
    again.add_argument("--overwrite", action="store_true", help="replace an existing OUT")
    p.add_argument("--quiet", action="store_true", help="no progress bar or closing line")
    p.set_defaults(func=cmd_batch)
    return p
