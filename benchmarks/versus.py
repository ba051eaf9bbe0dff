"""Speed of this checkout side by side with an earlier commit, on the same reports.

Checks out ``--ref`` into a temporary git worktree (removed afterwards), then times
``nlp.load(lang).pipe`` on the same texts (the gold reports of this checkout, repeated to
``--docs`` per language) in fresh processes, alternating the two checkouts round by round so
that both see the same machine load; the fastest round of each counts.

Run::

    .venv/bin/python benchmarks/versus.py --ref 88cdb48 --docs 1500 --rounds 3
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

REPO_ROOT = Path(__file__).resolve().parents[1]

# Runs inside a checkout: times the analyser on the texts given on stdin (one JSON list
# per language) and prints milliseconds per report.
TIMER = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import nlp
texts = json.load(sys.stdin)
out = {}
for lang, docs in texts.items():
    pipeline = nlp.load(lang)
    for doc in pipeline.pipe(docs[:50]):  # warm the caches
        pass
    gc.collect()
    started = time.process_time()
    entities = sum(len(doc.ents) for doc in pipeline.pipe(docs))
    out[lang] = {"ms": 1000 * (time.process_time() - started) / len(docs), "ents": entities}
print(json.dumps(out))
"""


def gold_texts(docs: int) -> Dict[str, List[str]]:
    texts: Dict[str, List[str]] = {}
    for lang in ("en", "nl"):
        unique = []
        for path in sorted((REPO_ROOT / "sample_reports").glob(f"{lang}_*.jsonl")):
            unique += [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        texts[lang] = [unique[i % len(unique)] for i in range(docs)]
    return texts


def time_checkout(root: Path, texts: Dict[str, List[str]]) -> Dict[str, dict]:
    run = subprocess.run(
        [sys.executable, "-c", TIMER, str(root)], input=json.dumps(texts),
        capture_output=True, text=True, cwd=root, check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--docs", type=int, default=1500, help="reports per language")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = gold_texts(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "ref"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(reference), args.ref],
                       cwd=REPO_ROOT, check=True)
        try:
            best: Dict[str, Dict[str, dict]] = {"ref": {}, "now": {}}
            for _ in range(args.rounds):
                for name, root in (("ref", reference), ("now", REPO_ROOT)):
                    for lang, result in time_checkout(root, texts).items():
                        if lang not in best[name] or result["ms"] < best[name][lang]["ms"]:
                            best[name][lang] = result
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(reference)],
                           cwd=REPO_ROOT, check=True)
    print(f"# ms of CPU per report, nlp.load(lang).pipe, {args.docs} gold reports per language, "
          f"fastest of {args.rounds} rounds in fresh processes, alternating")
    print(f"{'lang':<5} {args.ref[:12]:>12} {'now':>8} {'now/ref':>8} {'ents ref':>9} {'ents now':>9}")
    for lang in ("en", "nl"):
        ref, now = best["ref"][lang], best["now"][lang]
        print(f"{lang:<5} {ref['ms']:>12.3f} {now['ms']:>8.3f} {now['ms'] / ref['ms']:>8.2f} "
              f"{ref['ents']:>9} {now['ents']:>9}")


if __name__ == "__main__":
    main()
