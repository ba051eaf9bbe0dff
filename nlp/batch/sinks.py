"""Where the results go: findings and per-report summary as CSV, JSONL or Parquet parts,
appended chunk by chunk and repaired on resume."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set

from nlp.batch.items import FINDING_COLUMNS, Result, UsageError, categories, summary_columns
from nlp.limits import MAX_CHARS
from nlp.present.cells import csv_cell, restore

_PART_RE = re.compile(r"^part-(\d+)\.parquet$")
_TMP_PART_RE = re.compile(r"^\.part-(\d+)\.parquet\.tmp$")


def summary_path(out: Path) -> Path:
    """``results.csv`` -> ``results.summary.csv`` (same folder)."""
    return out.with_name(f"{out.stem}.summary{out.suffix}")


def _fsync(f: Any) -> None:
    f.flush()
    os.fsync(f.fileno())


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
        csv.writer(f).writerow([csv_cell(row.get(k)) for k in fields])

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


def make_output(out: Path) -> Output:
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return CsvOutput(out)
    if suffix == ".jsonl":
        return JsonlOutput(out)
    if suffix == ".parquet":
        return ParquetOutput(out)
    raise UsageError(f"--out {out}: the output must end in .csv, .jsonl or .parquet.")
