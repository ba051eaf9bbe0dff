"""Analysing chunks here: in this process, or in local worker processes that end with it."""
from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections import deque
from typing import Callable, Iterable, Iterator, List

from nlp.batch.items import EXIT_INTERRUPTED, Item, Result, Tally, analyse_items
from nlp.batch.sinks import Output
from nlp.batch.sources import _batched

ORPHAN_CHECK_SECONDS = 0.5


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
