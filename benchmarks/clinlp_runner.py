"""clinlp side of benchmarks/throughput.py; runs in ``benchmarks/.venv-clinlp`` (spaCy 3.8).

    python clinlp_runner.py TEXTS.jsonl TERMS.json [--mem-docs N]

TEXTS.jsonl: one ``{"text": ...}`` per line. TERMS.json: ``{concept: [term, ...]}`` where a
term is a phrase (str) or a spaCy token pattern (list), both accepted by clinlp's
``clinlp_rule_based_entity_matcher``. Prints one JSON object with docs/s, build time and
memory on stdout. Imports nothing from the analyser (its spaCy version differs).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc


def build():
    import clinlp  # noqa: F401  (registers the "clinlp" language and components)
    import spacy

    nlp = spacy.blank("clinlp")
    nlp.add_pipe("clinlp_normalizer")
    nlp.add_pipe("clinlp_sentencizer")
    matcher = nlp.add_pipe("clinlp_rule_based_entity_matcher", config={"attr": "NORM"})
    matcher.add_terms_from_dict(TERMS)
    nlp.add_pipe("clinlp_context_algorithm", config={"phrase_matcher_attr": "NORM"})
    return nlp


def run(nlp, texts):
    ents = 0
    for doc in nlp.pipe(texts):
        ents += len(doc.spans.get("ents", ()))
    return ents


def main() -> None:
    global TERMS
    parser = argparse.ArgumentParser()
    parser.add_argument("texts")
    parser.add_argument("terms")
    parser.add_argument("--mem-docs", type=int, default=300)
    args = parser.parse_args()
    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    with open(args.terms, encoding="utf-8") as f:
        TERMS = json.load(f)

    import clinlp  # noqa: F401  imports outside the build time, as for the other systems
    import spacy

    start = time.perf_counter()
    nlp = build()
    build_s = time.perf_counter() - start
    run(nlp, texts[:20])  # warm up (lazy matcher compilation)

    wall, cpu = time.perf_counter(), time.process_time()
    ents = run(nlp, texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    nlp2 = build()
    pipeline_bytes = tracemalloc.get_traced_memory()[0] - base
    del nlp2
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    run(nlp, texts[: args.mem_docs])
    peak_bytes = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()

    import clinlp as c

    print(json.dumps({
        "docs": len(texts),
        "build_s": build_s,
        "seconds": wall,
        "cpu_seconds": cpu,
        "ents": ents,
        "pipeline_mb": pipeline_bytes / 2**20,
        "peak_mb": peak_bytes / 2**20,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pipes": [name for name, _ in nlp.pipeline],
        "versions": {"clinlp": getattr(c, "__version__", "?"), "spacy": spacy.__version__,
                     "python": sys.version.split()[0]},
    }))


TERMS: dict = {}

if __name__ == "__main__":
    main()
