"""Memory over a long run of reports that keep bringing words the analyser has not seen.

    .venv/bin/python benchmarks/memory_growth.py [--reports 60000] [--new-words 20] [--every 5000]

Real reports keep bringing new words (measurements, dates, typos, names): about 18 new
strings a report after the first hundred, on the development reports. spaCy keeps every word
it has seen, with its forms, for as long as a pipeline lives, so a process that analyses
reports without end grows without end, unless the pipeline is built again now and then
(spaCy pull request #6007). ``nlp.load`` does so once the vocabulary has grown by
``nlp.limits.MAX_NEW_STRINGS``.

This script streams ``--reports`` English reports through ``nlp.load("en").pipe`` in chunks of
256, as ``python -m nlp batch`` does: each is a gold report with a line of ``--new-words``
made-up words appended, never repeated (many more new words than real reports bring, so
that the growth shows within minutes). It prints the resident memory of the process every
``--every`` reports, once with the bound and once without it (``MAX_NEW_STRINGS`` set out of
reach), each in a fresh process.
"""
from __future__ import annotations

import argparse
import json
import random
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 256


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def reports(count: int, new_words: int) -> Iterator[str]:
    from nlp.evaluation.gold import gold_files, read_gold

    gold = [record["text"] for record in read_gold(gold_files(None, "en"))]
    rng = random.Random(0)
    for i in range(count):
        made_up = " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(new_words))
        yield f"{gold[i % len(gold)]}\nNote: {made_up}."


def child(bounded: bool, count: int, new_words: int, every: int) -> None:
    """One run: (reports, RSS MB, rebuilds so far) every ``every`` reports, as JSON lines."""
    import nlp
    import nlp.pipeline as pipeline

    if not bounded:
        pipeline.MAX_NEW_STRINGS = 10**12
    pipeline_now, rebuilds, done, chunk = nlp.load("en"), 0, 0, []
    start = time.perf_counter()
    for text in reports(count, new_words):
        chunk.append(text)
        if len(chunk) < CHUNK:
            continue
        current = nlp.load("en")
        rebuilds += current is not pipeline_now
        pipeline_now = current
        for doc in current.pipe(chunk):
            len(doc.ents)
        done += len(chunk)
        chunk = []
        if done % every < CHUNK:
            print(json.dumps([done, round(rss_mb()), rebuilds, round(time.perf_counter() - start, 1)]), flush=True)


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=60_000)
    parser.add_argument("--new-words", type=int, default=20, help="made-up words added to each report")
    parser.add_argument("--every", type=int, default=5_000, help="print memory every this many reports")
    parser.add_argument("--child", choices=["bounded", "unbounded"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child == "bounded", args.reports, args.new_words, args.every)
        return 0
    from nlp.limits import MAX_NEW_STRINGS

    runs = {}
    for kind in ("bounded", "unbounded"):
        print(f"[{kind}] {args.reports} reports ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--reports", str(args.reports),
             "--new-words", str(args.new_words), "--every", str(args.every)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        runs[kind] = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[")]
    print(f"# Resident memory (MB) while {args.reports} English reports, each with {args.new_words} "
          f"made-up words, go through nlp.load('en').pipe in chunks of {CHUNK}")
    print(f"# bounded: the pipeline is built again after {MAX_NEW_STRINGS:,} new strings; unbounded: never")
    print(f"{'reports':>8}  {'bounded MB':>10}  {'rebuilds':>8}  {'unbounded MB':>12}")
    for (n, bounded_mb, rebuilds, _), (_, unbounded_mb, _, _) in zip(runs["bounded"], runs["unbounded"]):
        print(f"{n:>8}  {bounded_mb:>10}  {rebuilds:>8}  {unbounded_mb:>12}")
    print(f"# seconds in all: bounded {runs['bounded'][-1][3]}, unbounded {runs['unbounded'][-1][3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
