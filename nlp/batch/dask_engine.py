"""The Dask engine: the input staged as partitioned Parquet, each partition analysed on a
worker and written as one Parquet part of the output."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from nlp.batch.items import Item, Tally, analyse_items
from nlp.batch.sinks import Output, ParquetOutput, _remove, _write_part, write_parquet_parts
from nlp.batch.sources import _batched, _clean

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
