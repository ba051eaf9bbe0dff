"""Run the work on a visitor's input in worker processes with a deadline and a memory limit.

Reading a file and analysing a text are bounded for well-formed input, but nobody can prove
that for every input the libraries meet (a tokenizer that is quadratic on a run of one
character, a PDF parser's repair loop). A page that serves everyone from one process must
not let one input freeze or exhaust it. So the page hands each such call to a small pool
of worker processes: a call that runs past its deadline has its worker killed (the work
stops, also when the visitor has closed the tab) and replaced; a worker that runs out of
its memory limit fails that call alone. The other workers keep serving the other visitors.

    guard = Guard(workers=2)
    report = guard.run(nlp.analyse, text, lang="nl")   # or GuardError("too_slow" | ...)

Workers are spawned (not forked: the page's server has threads) and build both analyser
pipelines before they take work, so a call costs the pickling of its arguments and result
(about a millisecond for a report), not the imports.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Optional, Tuple

DEFAULT_SECONDS = 15.0
DEFAULT_MEMORY_MB = 2048
READY_TIMEOUT = 120.0  # a new worker imports spaCy and builds two pipelines (a few seconds)
GUARD_ERRORS = ("too_slow", "too_much_memory", "worker_failed")


class GuardError(Exception):
    """A guarded call did not finish: ``code`` is one of :data:`GUARD_ERRORS`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Limits:
    """What one call may take: wall-clock seconds and address space (MB) of its worker."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


def _worker_main(conn: Connection, memory_mb: int, warm: Tuple[str, ...]) -> None:
    """A worker: set the memory limit, build the pipelines, then run calls until told to stop."""
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from nlp.pipeline import load

    for lang in warm:
        load(lang)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the page's process is gone
            return
        if job is None:
            return
        fn, args, kwargs = job
        try:
            conn.send(("ok", fn(*args, **kwargs)))
        except MemoryError:
            conn.send(("memory", None))
        except BaseException as error:  # the caller re-raises it
            conn.send(("error", _picklable(error)))


def _picklable(error: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


class _Worker:
    def __init__(self, context: Any, limits: Limits, warm: Tuple[str, ...]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, limits.memory_mb, warm), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(READY_TIMEOUT):
            raise GuardError("worker_failed")
        kind, _ = self.conn.recv()
        self.ready = kind == "ready"

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Guard:
    """A pool of worker processes that run calls with a deadline and a memory limit."""

    def __init__(
        self, workers: int = 2, limits: Limits = Limits(), warm: Tuple[str, ...] = ("en", "nl")
    ) -> None:
        self.limits = limits
        self.warm = warm
        self._context = multiprocessing.get_context("spawn")
        self._idle: "queue.Queue[_Worker]" = queue.Queue()
        for _ in range(workers):
            self._idle.put(_Worker(self._context, limits, warm))

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` in a worker; its result, or the exception it raised.

        ``fn`` and its arguments must be picklable (a module-level function).

        Raises:
            GuardError: "too_slow" past the deadline, "too_much_memory" past the memory
                limit, "worker_failed" when the worker died (and was replaced).
        """
        return self.run_within(self.limits.seconds, fn, *args, **kwargs)

    def run_within(self, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """:meth:`run` with a deadline of its own: reading a photo or a scan by OCR takes
        seconds a page, far longer than analysing its text."""
        worker = self._idle.get()
        try:
            worker.wait_ready()
            worker.conn.send((fn, args, kwargs))
            if not worker.conn.poll(seconds):
                raise GuardError("too_slow")
            kind, value = worker.conn.recv()
            if kind == "memory":  # the worker may hold half-built objects: start afresh
                raise GuardError("too_much_memory")
        except GuardError:
            worker = self._replace(worker)
            raise
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise GuardError("worker_failed") from None
        finally:
            self._idle.put(worker)
        if kind == "error":
            raise value
        return value

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        return _Worker(self._context, self.limits, self.warm)

    def close(self) -> None:
        """Stop every idle worker (they also stop on their own when this process ends)."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            worker.kill()

    def worker_pids(self) -> list:
        """Process ids of the idle workers (for tests and benchmarks)."""
        workers = list(self._idle.queue)
        for worker in workers:
            worker.wait_ready()
        return [w.process.pid for w in workers]


_shared: Optional[Guard] = None
_shared_lock = threading.Lock()


def shared_guard() -> Guard:
    """The process-wide guard the page uses (created on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Guard()
        return _shared
