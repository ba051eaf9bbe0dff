"""Where our pipeline spends its time: cProfile and a per-component table.

    .venv/bin/python benchmarks/profile_pipeline.py [--lang en|nl|both] [--docs 300]
                                                    [--top 25] [--sort cumulative|tottime]

For each language, on the gold sample reports repeated to ``--docs`` documents:

1. the top ``--top`` functions of a cProfile run of ``nlp.load(lang).pipe(texts)``, sorted by
   cumulative time (or ``--sort tottime``);
2. a per-component table: each document is made by the tokenizer and then passed through
   every ``(name, component)`` of ``nlp.pipeline`` in turn, each call timed with
   ``time.perf_counter`` (no profiler running), so the shares add up to the whole pipeline.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import sys
import time
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def gold_texts(lang: str, n: int) -> List[str]:
    texts = []
    for split in ("dev", "test"):
        with (ROOT / "sample_reports" / f"{lang}_{split}.jsonl").open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return (texts * math.ceil(n / len(texts)))[:n]


def profile(pipeline, texts: List[str], top: int, sort: str) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in pipeline.pipe(texts):
        pass
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return out.getvalue()


def per_component(pipeline, texts: List[str]) -> str:
    times: Dict[str, float] = {"tokenizer": 0.0}
    for name, _ in pipeline.pipeline:
        times[name] = 0.0
    for text in texts:
        start = time.perf_counter()
        doc = pipeline.make_doc(text)
        now = time.perf_counter()
        times["tokenizer"] += now - start
        for name, component in pipeline.pipeline:
            start = now
            doc = component(doc)
            now = time.perf_counter()
            times[name] += now - start
    total = sum(times.values())
    width = max(len(name) for name in times)
    lines = [
        f"{'component'.ljust(width)}  {'seconds':>8}  {'ms/doc':>7}  {'share':>6}",
        f"{'-' * width}  {'-' * 8}  {'-' * 7}  {'-' * 6}",
    ]
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        lines.append(
            f"{name.ljust(width)}  {seconds:8.2f}  {1000 * seconds / len(texts):7.2f}  "
            f"{100 * seconds / total:5.1f}%"
        )
    lines.append(
        f"{'total'.ljust(width)}  {total:8.2f}  {1000 * total / len(texts):7.2f}  100.0%  "
        f"({len(texts) / total:.1f} docs/s)"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["en", "nl", "both"], default="both")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=["cumulative", "tottime"], default="cumulative")
    args = parser.parse_args(argv)

    import nlp

    for lang in (("en", "nl") if args.lang == "both" else (args.lang,)):
        texts = gold_texts(lang, args.docs)
        pipeline = nlp.load(lang)
        for _ in pipeline.pipe(texts[:20]):  # warm-up
            pass
        print(f"=== {lang}: {len(texts)} documents, pipeline: {' -> '.join(pipeline.pipe_names)}")
        print()
        print("--- per component (perf_counter, no profiler)")
        print(per_component(pipeline, texts))
        print()
        print(f"--- cProfile, top {args.top} by {args.sort}")
        print(profile(pipeline, texts, args.top, args.sort))
    return 0


if __name__ == "__main__":
    sys.exit(main())
