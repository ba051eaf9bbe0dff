"""Where the reports come from: a folder of files, or a CSV, JSONL or Parquet table, read
in order and lazily."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, List, Optional, Set, Tuple

from nlp.batch.items import BAD_ROW, Item, UsageError
from nlp.inputs.readers import SUPPORTED_EXTENSIONS
from nlp.limits import MAX_CHARS

DEFAULT_CHUNK_SIZE = 256
TABLE_INPUTS = (".csv", ".jsonl", ".ndjson", ".parquet", ".pq")


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
