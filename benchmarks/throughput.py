"""Speed side by side: our analyser, medspaCy's default pipeline, clinlp and a bare tokenizer.

    .venv/bin/python benchmarks/throughput.py [--docs 3000] [--batch-docs 2000]
                                              [--skip-clinlp] [--skip-dask]

All in-process systems run in this one process on the same texts: the gold sample reports
(``sample_reports/<lang>_{dev,test}.jsonl``) repeated to ``--docs`` documents per language.

Systems
    ours        ``nlp.build(lang)`` (build time) then ``.pipe(texts)``: the full analyser.
    medspacy    medspaCy's default pipeline: medspaCy tokenizer, PyRuSH sentences,
                TargetMatcher with OUR target rules (``lexicons/<lang>/findings.json`` via
                ``nlp.lexicon.target_rules`` + ``TargetRule.from_dict``), ConText with
                medspaCy's default rules for the language. English: ``medspacy.load()``.
                Dutch: ``medspacy.load(spacy.blank("nl"), language_code="nl")``, i.e. a
                blank nl pipeline with medspaCy's components and its Dutch PyRuSH and
                ConText rules (``medspacy.load(language_code="nl")`` alone would start from
                a blank *English* pipeline). PyRuSH's loguru DEBUG output is removed.
    clinlp      clinlp 0.10 (spaCy 3.8) in its own virtual environment
                (``benchmarks/.venv-clinlp``, made once), run as a subprocess
                (``benchmarks/clinlp_runner.py``) on the same Dutch texts: normalizer,
                sentencizer, ``clinlp_rule_based_entity_matcher`` with our Dutch terms, and
                the context algorithm with its default rules. Our findings.json rules are
                spaCy token patterns, which clinlp's matcher takes as terms unchanged; a
                rule without a pattern becomes a phrase term (matched on NORM).
    tokenizer   ``spacy.blank(lang).tokenizer.pipe(texts)``: the floor.
    our tokenizer  the analyser's own tokenizer alone (``nlp.pipeline.tokenizer.blank``):
                the same tokens as spaCy's apart from level notation, but without spaCy's
                exceptions for a space, tab and line break, which stop its word cache; the
                analyser's components cost the difference between ``ours`` and this row.

The in-process systems of a language are built first and then timed pass by pass in turn
(``--repeats`` passes each, fewer for one whose passes took over a minute); the fastest pass
counts: on a shared machine noise only adds time, and taking turns gives every system the
same conditions. Before the timing, ``nlp.pipeline.freeze_long_lived`` (what ``nlp.load``
does once) takes everything built so far out of the garbage collector's full collections,
for every system alike.

Columns
    build s     time to build the pipeline (imports done before).
    docs/s      documents per second, wall clock; ``cpu docs/s`` per second of this
                process's CPU time, steadier on a shared machine; ``x ours`` is the CPU
                rate divided by ours for the same language (> 1 = faster than ours).
    pipe MB     tracemalloc: Python memory the built pipeline holds.
    peak MB     tracemalloc: peak Python memory above the level before, while
                ``--mem-docs`` documents go through ``pipe`` (a separate pass, as tracemalloc
                slows everything down). Memory allocated outside Python's allocators
                (some C libraries) is not counted.
    ents/doc    entities found per document (a sanity check, not a quality measure).

Then the batch command (``python -m nlp batch``, a subprocess each) on ``--batch-docs``
reports in a temporary CSV, with 1 and 2 local workers and on a Dask LocalCluster of 1 and
2 workers: reports per second over the whole command (start-up and pipeline builds
included), the CPU seconds of its whole process tree (RUSAGE_CHILDREN), and the peak
resident memory of its process tree (psutil, sampled every 0.1 s, summed over the processes).
On a 2-core machine that other work shares, more workers only help when cores are free:
compare the CPU seconds to see what the parallel machinery costs.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLINLP_VENV = ROOT / "benchmarks" / ".venv-clinlp"
CLINLP_REQUIREMENT = "clinlp==0.10.*"
RUNNER = ROOT / "benchmarks" / "clinlp_runner.py"
LANGS = ("en", "nl")
# Timed passes per system stop after this many seconds (medspaCy's take minutes each).
REPEAT_BUDGET_S = 60.0


def gold_texts(lang: str) -> List[str]:
    texts = []
    for split in ("dev", "test"):
        with (ROOT / "sample_reports" / f"{lang}_{split}.jsonl").open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def repeat(texts: List[str], n: int) -> List[str]:
    return (texts * math.ceil(n / len(texts)))[:n]


@dataclass
class Row:
    system: str
    lang: str
    docs: int
    build_s: Optional[float] = None
    seconds: Optional[float] = None
    cpu_seconds: Optional[float] = None
    pipeline_mb: Optional[float] = None
    peak_mb: Optional[float] = None
    ents: Optional[int] = None
    note: str = ""
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> Optional[float]:
        return self.docs / self.seconds if self.seconds else None

    @property
    def cpu_rate(self) -> Optional[float]:
        return self.docs / self.cpu_seconds if self.cpu_seconds else None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- in-process systems -------------------------------------------------------------------


def build_ours(lang: str) -> Any:
    import nlp

    return nlp.build(lang)


def build_medspacy(lang: str) -> Any:
    import medspacy
    import spacy
    from medspacy.target_matcher import TargetRule

    from nlp.lexicon import target_rules

    if lang == "en":
        pipeline = medspacy.load()
    else:
        pipeline = medspacy.load(spacy.blank("nl"), language_code="nl")
    matcher = pipeline.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule.from_dict(rule) for rule in target_rules(lang)])
    return pipeline


def build_tokenizer(lang: str) -> Any:
    import spacy

    return spacy.blank(lang)


def build_our_tokenizer(lang: str) -> Any:
    from nlp.pipeline.tokenizer import blank

    return blank(lang)


def run_pipe(pipeline: Any, texts: List[str]) -> int:
    return sum(len(doc.ents) for doc in pipeline.pipe(texts))


def run_tokenizer(pipeline: Any, texts: List[str]) -> int:
    for _ in pipeline.tokenizer.pipe(texts):
        pass
    return 0


System = Tuple[str, Callable[[str], Any], Callable[[Any, List[str]], int]]  # (name, build, run)


# --- first pass over unseen reports ---------------------------------------------------------

FIRST_PASS: List[System] = [
    ("tokenizer", build_tokenizer, run_tokenizer),
    ("our tokenizer", build_our_tokenizer, run_tokenizer),
    ("ours", build_ours, run_pipe),
]


def first_pass_child(lang: str) -> None:
    """In a fresh process: each system built new, then timed on one pass over the unique gold
    reports (nothing cached yet: the tokenizers' word caches, the matchers' word tables)."""
    texts = gold_texts(lang)
    times = {}
    for system, build, run in FIRST_PASS:
        pipeline = build(lang)
        start = time.process_time()
        run(pipeline, texts)
        times[system] = (time.process_time() - start) / len(texts) * 1e3
    print(json.dumps(times))


def measure_first_pass(runs: int) -> Dict[str, Dict[str, float]]:
    """Milliseconds per report on a first pass, per language and system: best of ``runs``
    fresh processes."""
    best: Dict[str, Dict[str, float]] = {}
    for lang in LANGS:
        best[lang] = {}
        for _ in range(runs):
            log(f"[first pass/{lang}] fresh process")
            done = subprocess.run([sys.executable, __file__, "--first-pass-child", lang],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            for system, ms in json.loads(done.stdout.strip().splitlines()[-1]).items():
                best[lang][system] = min(ms, best[lang].get(system, math.inf))
    return best


def first_pass_table(best: Dict[str, Dict[str, float]], runs: int) -> str:
    counts = ", ".join(f"{len(gold_texts(lang))} {lang}" for lang in LANGS)
    lines = [["system (ms per report)", *LANGS]]
    for system, _, _ in FIRST_PASS:
        lines.append([system, *(f"{best[lang][system]:.2f}" for lang in LANGS)])
    lines.append(["ours / tokenizer", *(f"{best[lang]['ours'] / best[lang]['tokenizer']:.2f}x" for lang in LANGS)])
    title = (f"# First pass over unseen reports: the unique gold reports ({counts}), each system new in "
             f"a fresh process (cold caches), CPU time, best of {runs} processes")
    return title + "\n" + _format(lines)


def measure(lang: str, systems: List[System], texts: List[str], mem_docs: int, repeats: int = 3) -> List[Row]:
    """Build each system, then time them pass by pass in turn, then measure memory.

    Taking turns (ours, medspaCy, tokenizer, ours, ...) gives every system the same machine
    conditions, which drift over minutes on a shared machine; the fastest pass counts, as
    noise only ever adds time. A system stops repeating once its passes took
    REPEAT_BUDGET_S seconds.
    """
    built: Dict[str, Tuple[Any, Callable[[Any, List[str]], int], float]] = {}
    for system, build, run in systems:
        log(f"[{system}/{lang}] build")
        start = time.perf_counter()
        pipeline = build(lang)
        built[system] = (pipeline, run, time.perf_counter() - start)
        run(pipeline, texts[:20])  # warm-up: lazy matcher compilation, caches
    # As nlp.load does for the shared pipelines, and for every system alike: what exists now
    # (the pipelines, the imports) leaves the garbage collector's full collections.
    from nlp.pipeline import freeze_long_lived

    freeze_long_lived()
    walls: Dict[str, List[float]] = {system: [] for system in built}
    cpus: Dict[str, List[float]] = {system: [] for system in built}
    ents: Dict[str, int] = {}
    for attempt in range(repeats):
        for system, (pipeline, run, _) in built.items():
            if sum(walls[system]) > REPEAT_BUDGET_S:
                continue
            log(f"[{system}/{lang}] {len(texts)} docs, pass {attempt + 1}")
            wall, cpu = time.perf_counter(), time.process_time()
            ents[system] = run(pipeline, texts)
            walls[system].append(time.perf_counter() - wall)
            cpus[system].append(time.process_time() - cpu)
    rows = []
    for system, build, _ in systems:
        pipeline, run, build_s = built[system]
        pipeline_mb, peak_mb = memory(lang, build, run, pipeline, texts[:mem_docs])
        note = "pipeline: " + " -> ".join(["tokenizer", *pipeline.pipe_names]) + "; " if system == "medspacy" else ""
        passes = len(walls[system])
        note += f"best of {passes} pass{'es' if passes > 1 else ''}"
        row = Row(system, lang, len(texts), build_s, min(walls[system]), min(cpus[system]),
                  pipeline_mb, peak_mb, ents[system], note)
        log(f"[{system}/{lang}] {row.rate:.1f} docs/s (CPU {row.cpu_rate:.1f})")
        rows.append(row)
    return rows


def memory(lang: str, build: Callable[[str], Any], run: Callable[[Any, List[str]], int],
           pipeline: Any, texts: List[str]) -> Tuple[float, float]:
    """(MB a second build holds, peak MB while ``texts`` go through ``pipeline``): tracemalloc."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    second = build(lang)
    pipeline_mb = (tracemalloc.get_traced_memory()[0] - base) / 2**20
    del second
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    run(pipeline, texts)
    peak_mb = (tracemalloc.get_traced_memory()[1] - base) / 2**20
    tracemalloc.stop()
    return pipeline_mb, peak_mb


# --- clinlp in its own environment ----------------------------------------------------------


def clinlp_python() -> Path:
    """The Python of benchmarks/.venv-clinlp, made (once) with clinlp 0.10 installed."""
    python = CLINLP_VENV / "bin" / "python"
    if python.exists():
        check = subprocess.run([str(python), "-c", "import clinlp"], capture_output=True)
        if check.returncode == 0:
            return python
    log(f"creating {CLINLP_VENV} with {CLINLP_REQUIREMENT} (once; a few minutes)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(CLINLP_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", CLINLP_REQUIREMENT], check=True
    )
    return python


def clinlp_terms() -> Dict[str, List[Any]]:
    """Our Dutch finding rules as clinlp terms: spaCy patterns as they are, else phrases."""
    from nlp.lexicon import target_rules

    terms: Dict[str, List[Any]] = {}
    for rule in target_rules("nl"):
        pattern = rule.get("pattern")
        term = pattern if isinstance(pattern, list) else rule["literal"]
        terms.setdefault(rule["category"], []).append(term)
    return terms


def measure_clinlp(texts: List[str], mem_docs: int) -> Row:
    python = clinlp_python()
    with tempfile.TemporaryDirectory() as tmp:
        text_file, term_file = Path(tmp) / "texts.jsonl", Path(tmp) / "terms.json"
        with text_file.open("w", encoding="utf-8") as f:
            for text in texts:
                f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        term_file.write_text(json.dumps(clinlp_terms(), ensure_ascii=False), encoding="utf-8")
        log(f"[clinlp/nl] {len(texts)} docs (subprocess)")
        done = subprocess.run(
            [str(python), str(RUNNER), str(text_file), str(term_file), "--mem-docs", str(mem_docs)],
            capture_output=True, text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"clinlp runner failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    versions = result["versions"]
    row = Row(
        "clinlp", "nl", result["docs"], result["build_s"], result["seconds"],
        result["cpu_seconds"], result["pipeline_mb"], result["peak_mb"], result["ents"],
        note=f"clinlp {versions['clinlp']}, spaCy {versions['spacy']}, own process "
             f"(maxrss {result['maxrss_mb']:.0f} MB)",
        extra=result,
    )
    log(f"[clinlp/nl] {row.rate:.1f} docs/s (CPU {row.cpu_rate:.1f})")
    return row


# --- the batch command ----------------------------------------------------------------------


@dataclass
class BatchRow:
    engine: str
    workers: int
    reports: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    status: int

    @property
    def rate(self) -> float:
        return self.reports / self.seconds


def _tree_rss(process: Any) -> int:
    import psutil

    total = 0
    try:
        procs = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_batch_command(args: List[str]) -> tuple:
    """Run ``python -m nlp batch ARGS``.

    Returns (wall seconds, CPU seconds of the whole process tree, peak tree RSS in MB,
    exit status, stderr). The CPU time comes from RUSAGE_CHILDREN: every process of the
    tree (local workers, Dask nannies' workers) is waited for by its parent, so its time
    is counted.
    """
    import psutil

    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "nlp", "batch", *args], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    proc = psutil.Process(child.pid)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, peak[0] / 2**20, child.returncode, err


def measure_batch(n: int, skip_dask: bool) -> List[BatchRow]:
    texts = [t for pair in zip(repeat(gold_texts("en"), n), repeat(gold_texts("nl"), n)) for t in pair][:n]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "reports.csv"
        import pandas as pd

        pd.DataFrame({"id": [f"r{i:06d}" for i in range(len(texts))], "text": texts}).to_csv(source, index=False)
        runs = [("local", 1), ("local", 2)] + ([] if skip_dask else [("dask", 1), ("dask", 2)])
        for engine, workers in runs:
            out = Path(tmp) / f"out-{engine}-{workers}" / ("findings.parquet" if engine == "dask" else "findings.csv")
            log(f"[batch {engine} x{workers}] {len(texts)} reports")
            seconds, cpu, rss, status, err = run_batch_command([
                str(source), "--out", str(out), "--quiet", "--overwrite",
                "--engine", engine, "--workers", str(workers),
            ])
            rows.append(BatchRow(engine, workers, len(texts), seconds, cpu, rss, status))
            if status not in (0, 2):  # record the failure, go on with the other runs
                log(f"[batch {engine} x{workers}] FAILED ({status}):\n{err[-3000:]}")
            else:
                log(f"[batch {engine} x{workers}] {rows[-1].rate:.1f} reports/s")
    return rows


# --- report ---------------------------------------------------------------------------------


def _f(value: Optional[float], fmt: str = "{:.1f}") -> str:
    return "-" if value is None else fmt.format(value)


def table(rows: List[Row]) -> str:
    ours = {r.lang: r for r in rows if r.system == "ours"}
    head = ["system", "lang", "docs", "build s", "docs/s", "cpu docs/s", "x ours", "pipe MB", "peak MB", "ents/doc"]
    lines = [head]
    for r in rows:
        base = ours.get(r.lang)
        ratio = r.cpu_rate / base.cpu_rate if base and r.cpu_rate and base.cpu_rate else None
        lines.append([
            r.system, r.lang, str(r.docs), _f(r.build_s, "{:.2f}"), _f(r.rate), _f(r.cpu_rate),
            _f(ratio, "{:.2f}"), _f(r.pipeline_mb), _f(r.peak_mb),
            _f(r.ents / r.docs if r.ents is not None and "tokenizer" not in r.system else None, "{:.1f}"),
        ])
    return _format(lines)


def targets(rows: List[Row]) -> str:
    """Our speed against the targets of the speed issue, per language (CPU rates)."""
    by = {(r.system, r.lang): r for r in rows}
    lines = ["# Against the targets (CPU docs/s; build after imports)"]
    for lang in LANGS:
        ours = by.get(("ours", lang))
        if not ours or not ours.cpu_rate:
            continue
        parts = []
        for system, target, faster in (("medspacy", 10, True), ("clinlp", 3, True), ("tokenizer", 3, False)):
            other = by.get((system, lang))
            if not other or not other.cpu_rate:
                continue
            if faster:
                ratio = ours.cpu_rate / other.cpu_rate
                parts.append(f"{ratio:.1f}x {system} (target >= {target}x: {'met' if ratio >= target else 'NOT met'})")
            else:
                ratio = other.cpu_rate / ours.cpu_rate
                parts.append(f"{ratio:.2f}x slower than the bare tokenizer "
                             f"(target <= {target}x: {'met' if ratio <= target else 'NOT met'})")
        own = by.get(("our tokenizer", lang))
        if own and own.cpu_rate:
            parts.append(f"{own.cpu_rate / ours.cpu_rate:.1f}x slower than our own tokenizer, which is "
                         f"{own.cpu_rate / by[('tokenizer', lang)].cpu_rate:.1f}x as fast as the bare one "
                         f"(for information: no target)")
        bare = by.get(("tokenizer", lang))
        floor = f", spaCy's blank('{lang}') alone {bare.build_s:.2f} s" if bare and bare.build_s else ""
        parts.append(f"build {ours.build_s:.2f} s (target < 0.5 s: "
                     f"{'met' if ours.build_s < 0.5 else 'NOT met'}{floor})")
        lines.append(f"  {lang}: " + "; ".join(parts))
    return "\n".join(lines)


def batch_table(rows: List[BatchRow]) -> str:
    lines = [["batch engine", "workers", "reports", "seconds", "reports/s", "x 1 local", "CPU s", "peak RSS MB"]]
    base = next((r for r in rows if r.engine == "local" and r.workers == 1), None)
    for r in rows:
        if r.status not in (0, 2):
            lines.append([r.engine, str(r.workers), str(r.reports), f"{r.seconds:.1f}", "failed", "-", "-", "-"])
            continue
        lines.append([
            r.engine, str(r.workers), str(r.reports), f"{r.seconds:.1f}", f"{r.rate:.1f}",
            _f(r.rate / base.rate if base else None, "{:.2f}"), f"{r.cpu_seconds:.1f}",
            f"{r.peak_rss_mb:.0f}",
        ])
    return _format(lines)


def _format(lines: List[List[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths))))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="documents per language (default 3000)")
    parser.add_argument("--mem-docs", type=int, default=300, help="documents in the tracemalloc pass")
    parser.add_argument("--batch-docs", type=int, default=2000, help="reports for the batch command runs (0: skip)")
    parser.add_argument("--skip-clinlp", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed passes per system, the fastest counts (default 3; fewer when "
                             f"the passes take over {REPEAT_BUDGET_S:.0f} s)")
    parser.add_argument("--first-pass-runs", type=int, default=3,
                        help="fresh processes for the first-pass table (default 3; 0: skip)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--first-pass-child", metavar="LANG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.first_pass_child:
        first_pass_child(args.first_pass_child)
        return 0

    from loguru import logger

    logger.remove()  # PyRuSH logs every sentence at DEBUG level
    import medspacy  # noqa: F401  imports before any build is timed
    import spacy
    import spacy.lang.en  # noqa: F401  (the language data too: imports are not builds)
    import spacy.lang.nl  # noqa: F401

    import nlp  # noqa: F401
    from nlp.pipeline import build  # noqa: F401

    load_before = os.getloadavg()
    started = time.perf_counter()
    texts = {lang: repeat(gold_texts(lang), args.docs) for lang in LANGS}
    rows: List[Row] = []
    for lang in LANGS:
        in_process: List[System] = [
            ("ours", build_ours, run_pipe), ("medspacy", build_medspacy, run_pipe),
            ("tokenizer", build_tokenizer, run_tokenizer),
            ("our tokenizer", build_our_tokenizer, run_tokenizer),
        ]
        measured = measure(lang, in_process, texts[lang], args.mem_docs, repeats=args.repeats)
        rows += measured[:2]
        if lang == "nl" and not args.skip_clinlp:
            rows.append(measure_clinlp(texts[lang], args.mem_docs))
        rows += measured[2:]
    first_pass = measure_first_pass(args.first_pass_runs) if args.first_pass_runs else {}
    batch_rows = measure_batch(args.batch_docs, args.skip_dask) if args.batch_docs else []
    load_after = os.getloadavg()

    import medspacy as m

    print(f"# Throughput, {args.docs} documents per language (gold sample reports repeated)")
    print(
        f"# Python {platform.python_version()}, spaCy {spacy.__version__}, medspaCy {m.__version__}, "
        f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    print()
    print(table(rows))
    for r in rows:
        if r.note:
            print(f"  {r.system}/{r.lang}: {r.note}")
    for lang in LANGS:
        print(f"  ours/{lang} pipeline: {' -> '.join(nlp.load(lang).pipe_names)}")
    print()
    print(targets(rows))
    if first_pass:
        print()
        print(first_pass_table(first_pass, args.first_pass_runs))
    if batch_rows:
        print()
        print(f"# python -m nlp batch on {args.batch_docs} reports (CSV, en and nl alternating)")
        print(batch_table(batch_rows))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "systems": [{**r.__dict__, "rate": r.rate, "cpu_rate": r.cpu_rate} for r in rows],
            "batch": [{**r.__dict__, "rate": r.rate} for r in batch_rows],
            "first_pass_ms": first_pass,
            "load": [load_before, load_after],
        }, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
