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

Modules
    ``items`` (one chunk of reports analysed; error and exit codes), ``sources`` (the input,
    read in order), ``sinks`` (CSV, JSONL and Parquet output, repaired on resume), ``pool``
    (local worker processes), ``dask_engine`` and ``command`` (:func:`run_batch` and the
    command line). The names below are this package's interface.
"""
from nlp.batch.command import BatchStats, add_batch_parser, cmd_batch, run_batch
from nlp.batch.dask_engine import analyse_partition, staging_path
from nlp.batch.items import (
    ANALYSIS_FAILED, BAD_ROW, DEFAULT_BATCH_SIZE, EXIT_INTERRUPTED, EXIT_IO, EXIT_OK, EXIT_UNREADABLE,
    EXIT_USAGE, EXIT_WORKER, FINDING_COLUMNS, NO_TEXT, UNREADABLE, Item, Result, Tally, UsageError,
    analyse_items, categories, summary_columns,
)
from nlp.batch.sinks import (
    CsvOutput, JsonlOutput, Output, ParquetOutput, make_output, summary_path, write_parquet_parts,
)
from nlp.batch.sources import DEFAULT_CHUNK_SIZE, Source

__all__ = [
    "ANALYSIS_FAILED", "BAD_ROW", "DEFAULT_BATCH_SIZE", "DEFAULT_CHUNK_SIZE", "EXIT_INTERRUPTED", "EXIT_IO",
    "EXIT_OK", "EXIT_UNREADABLE", "EXIT_USAGE", "EXIT_WORKER", "FINDING_COLUMNS", "NO_TEXT", "UNREADABLE",
    "BatchStats", "CsvOutput", "Item", "JsonlOutput", "Output", "ParquetOutput", "Result", "Source", "Tally",
    "UsageError", "add_batch_parser", "analyse_items", "analyse_partition", "categories", "cmd_batch",
    "make_output", "run_batch", "staging_path", "summary_columns", "summary_path", "write_parquet_parts",
]
