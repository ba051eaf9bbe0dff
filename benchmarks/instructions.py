"""Instructions per report, per component, under callgrind: a speed figure the machine's load
cannot move.

    .venv/bin/python benchmarks/instructions.py [--lang en|nl] [--passes 1]

Seconds on a shared 2-core machine vary by 20% from run to run; the instructions a report
costs do not (with ``PYTHONHASHSEED=0``). This script runs itself under ``valgrind
--tool=callgrind`` (Debian's valgrind; about 3 minutes), which writes a counter dump each time
the script calls ``time.sleep(0)``. Between two such calls it runs one thing over the gold
reports of the language: the bare ``spacy.blank(lang)`` tokenizer, the whole analyser
(``nlp.pipe``), the analyser's tokenizer, then each component on its own (on Docs made ready
by the components before it, outside the measured part). It prints millions of instructions
per report. Instructions are not seconds: the Python-level work of the components runs at
fewer instructions per cycle than the tokenizer's C code, so the ratio in seconds is higher.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[1]


def measured_run(lang: str, passes: int) -> None:
    """Under callgrind: the measured parts, each between two ``time.sleep(0)`` dumps."""
    sys.path.insert(0, str(ROOT))
    import spacy

    import nlp
    from nlp.evaluation.gold import gold_files, read_gold

    texts = [record["text"] for record in read_gold(gold_files(None, lang))]
    pipeline, bare = nlp.build(lang), spacy.blank(lang)
    list(pipeline.pipe(texts))  # warm: word caches filled, as in a long run
    list(bare.tokenizer.pipe(texts))
    parts = [("bare tokenizer", lambda: list(bare.tokenizer.pipe(texts))),
             ("analyser (nlp.pipe)", lambda: list(pipeline.pipe(texts))),
             ("analyser's tokenizer", lambda: list(pipeline.tokenizer.pipe(texts)))]
    for label, run in parts:
        time.sleep(0)
        for _ in range(passes):
            run()
    time.sleep(0)
    for index, (name, component) in enumerate(pipeline.pipeline):
        docs = [pipeline.make_doc(text) for text in texts]
        for _, before in pipeline.pipeline[:index]:
            for doc in docs:
                before(doc)
        time.sleep(0)
        for _ in range(passes):
            for doc in docs:
                component(doc)
        time.sleep(0)
    print(json.dumps({"reports": len(texts) * passes, "parts": [p for p, _ in parts],
                      "components": pipeline.pipe_names}))


def total(dump: str) -> int:
    with open(dump, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise ValueError(f"no totals in {dump}")


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "nl"), default="en")
    parser.add_argument("--passes", type=int, default=1, help="passes over the gold reports per part")
    parser.add_argument("--measured", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measured:
        measured_run(args.lang, args.passes)
        return 0
    if not shutil.which("valgrind"):
        print("valgrind is needed: apt-get install -y valgrind", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.%p")
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-before=time_sleep", f"--callgrind-out-file={out}",
             sys.executable, __file__, "--measured", "--lang", args.lang, "--passes", str(args.passes)],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        info = json.loads(done.stdout.strip().splitlines()[-1])
        # Dump 1 is everything before the first sleep; then one dump per part, and per
        # component a set-up dump followed by the measured one.
        dumps = sorted(glob.glob(os.path.join(tmp, "callgrind.*.*")), key=lambda p: int(p.rsplit(".", 1)[1]))
        counts = [total(d) for d in dumps]
    per_report = [c / info["reports"] / 1e6 for c in counts]
    n_parts = len(info["parts"])
    rows = list(zip(info["parts"], per_report[1:1 + n_parts]))
    first = 1 + n_parts
    rows += [(f"  {name}", per_report[first + 2 * k + 1]) for k, name in enumerate(info["components"])]
    bare = rows[0][1]
    print(f"# Instructions per report under callgrind ({args.lang}, {info['reports']} reports, PYTHONHASHSEED=0)")
    print(f"{'part':28s} {'M instr':>8s} {'x bare':>7s}")
    for label, value in rows:
        print(f"{label:28s} {value:8.3f} {value / bare:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
