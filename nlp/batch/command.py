"""``python -m nlp batch``: the run (:func:`run_batch`) and its command line."""
from __future__ import annotations

import argparse
import sys
import threading
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from nlp.batch.dask_engine import _run_dask, staging_path
from nlp.batch.items import (
    DEFAULT_BATCH_SIZE, EXIT_INTERRUPTED, EXIT_IO, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_WORKER,
    Tally, UsageError,
)
from nlp.batch.pool import _run_local
from nlp.batch.sinks import Output, ParquetOutput, make_output, summary_path
from nlp.batch.sources import DEFAULT_CHUNK_SIZE, Source, _unique_ids


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
