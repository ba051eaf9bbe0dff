"""Many threads on the shared pipelines give exactly the results of one thread.

The page serves every visitor from the same two cached pipelines (``nlp.load``); here 16
threads analyse different gold reports (``sample_reports/*_dev.jsonl``) at the same time,
released together by a barrier, each several times in its own order, with Python switching
threads every microsecond so that calls interleave inside the components. Every result must
equal (``to_dict()``) the result of the same report analysed alone.
"""
from __future__ import annotations

import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import nlp
from nlp import pipeline
from nlp.api import analyse
from nlp.evaluation.gold import gold_files, read_gold

THREADS = 16
ROUNDS = 2
SWITCH_INTERVAL = 1e-6


@pytest.fixture(scope="module")
def gold():
    records = list(read_gold(gold_files("dev")))
    assert len({r["language"] for r in records}) == 2, "dev gold of both languages"
    assert len(records) >= THREADS
    return records


@pytest.fixture(scope="module")
def alone(gold, nlp_en, nlp_nl):
    """Each report analysed by itself, one after the other (given and detected language)."""
    return {
        (i, lang): analyse(r["text"], lang=lang).to_dict()
        for i, r in enumerate(gold)
        for lang in (r["language"], None)
    }


@pytest.fixture()
def busy_switching():
    """Let Python switch threads far more often than the default (5 ms)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    yield
    sys.setswitchinterval(previous)


def test_sixteen_threads_give_the_results_of_one(gold, alone, busy_switching):
    barrier = threading.Barrier(THREADS, timeout=60)
    running = set()
    overlap = []

    def work(worker: int):
        rng = random.Random(worker)
        jobs = [(i, lang) for i in range(worker, len(gold), THREADS)
                for lang in (gold[i]["language"], None)] * ROUNDS
        rng.shuffle(jobs)
        results = []
        barrier.wait()
        for i, lang in jobs:
            running.add(worker)
            overlap.append(len(running))
            results.append((i, lang, analyse(gold[i]["text"], lang=lang).to_dict()))
            running.discard(worker)
        return results

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(work, range(THREADS)))

    done = [item for outcome in outcomes for item in outcome]
    assert len(done) == len(alone) * ROUNDS
    assert max(overlap) > 1, "the analyses did not overlap"
    wrong = [(gold[i]["id"], lang) for i, lang, result in done if result != alone[(i, lang)]]
    assert not wrong, f"results differ from one-by-one analysis: {wrong[:10]}"


def test_both_languages_at_once_on_the_same_cached_pipelines(gold, alone, busy_switching):
    """All 16 threads hit one report per language at the same time, many times."""
    picks = {lang: next(i for i, r in enumerate(gold) if r["language"] == lang) for lang in ("en", "nl")}
    barrier = threading.Barrier(THREADS, timeout=60)
    cached = {lang: nlp.load(lang) for lang in picks}

    def work(worker: int):
        lang = ("en", "nl")[worker % 2]
        i = picks[lang]
        barrier.wait()
        results = [analyse(gold[i]["text"], lang=lang).to_dict() for _ in range(4)]
        assert nlp.load(lang) is cached[lang]
        return [(i, lang, r) for r in results]

    with ThreadPoolExecutor(THREADS) as pool:
        done = [item for outcome in pool.map(work, range(THREADS)) for item in outcome]
    assert len(done) == THREADS * 4
    assert all(result == alone[(i, lang)] for i, lang, result in done)


def test_first_use_from_many_threads_builds_one_pipeline_per_language(monkeypatch, busy_switching):
    """16 threads calling ``load`` on an empty cache all get one and the same pipeline."""
    monkeypatch.setattr(pipeline, "_cache", {})
    built = []
    real_build = pipeline.build

    def counting_build(lang, **kwargs):
        built.append(lang)
        return real_build(lang, **kwargs)

    monkeypatch.setattr(pipeline, "build", counting_build)
    barrier = threading.Barrier(THREADS, timeout=60)

    def work(worker: int):
        barrier.wait()
        return pipeline.load(("en", "nl")[worker % 2])

    with ThreadPoolExecutor(THREADS) as pool:
        loaded = list(pool.map(work, range(THREADS)))
    assert sorted(built) == ["en", "nl"]
    assert len({id(p) for p in loaded[0::2]}) == 1
    assert len({id(p) for p in loaded[1::2]}) == 1
