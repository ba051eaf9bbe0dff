"""Assemble the analyser: one spaCy ``Language`` per report language, built once.

``blank(lang)`` -> layout-aware tokenizer -> sentences -> sections -> findings (with the
finding filter) -> levels -> attributes -> context. Every rule comes from ``lexicons/<lang>/``, in
medspaCy's rule formats. Sections, findings and context run on the analyser's own matcher
(nlp/matcher/engine.py: same rules, same results, measured faster); ``engine="medspacy"`` builds
the same pipeline with medspaCy's Sectionizer, TargetMatcher and ConText instead.
"""
from __future__ import annotations

import gc
import threading
from typing import Dict, Optional

from spacy.language import Language

from nlp.pipeline import extensions  # noqa: F401  (registers the extension attributes)
from nlp.pipeline import (  # noqa: F401  (registers the factories)
    attributes, context, finding_filter, findings, levels, repeats, sections, sentences,
)
from nlp.pipeline.base import BATCH_SIZE
from nlp.pipeline.context import CONTEXT_ATTRIBUTES
from nlp.pipeline.tokenizer import blank
from nlp.limits import MAX_CHARS, MAX_NEW_STRINGS
from nlp.lexicon import check_language, section_rules, target_rules

ENGINES = ("fast", "medspacy")

_cache: Dict[str, Optional[Language]] = {}
_strings_at_build: Dict[str, int] = {}
_lock = threading.Lock()


def build(lang: str, *, engine: str = "fast") -> Language:
    """Build a new analyser pipeline for ``lang`` ("nl" or "en").

    Args:
        lang (str): "nl" or "en".
        engine (str): "fast" finds findings and context cues with the analyser's own matcher
            (same rules, same results, measured faster); "medspacy" uses medspaCy's
            TargetMatcher and ConText components, for comparison.
    """
    from medspacy.section_detection import SectionRule
    from medspacy.target_matcher import TargetRule

    check_language(lang)
    if engine not in ENGINES:
        raise ValueError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    nlp = blank(lang)
    nlp.max_length = MAX_CHARS
    nlp.batch_size = BATCH_SIZE  # our components run over a batch of Docs at a time
    nlp.add_pipe("spine_sentences")
    if engine == "fast":
        nlp.add_pipe("spine_sections")
    else:
        sectionizer = nlp.add_pipe(
            "medspacy_sectionizer",
            config={"rules": None, "require_start_line": True, "span_attrs": None},
        )
        sectionizer.add([SectionRule.from_dict(rule) for rule in section_rules(lang)])
    if engine == "fast":
        nlp.add_pipe("spine_findings")  # applies the finding filter itself
    else:
        matcher = nlp.add_pipe("medspacy_target_matcher", config={"rules": None})
        matcher.add([TargetRule.from_dict(rule) for rule in target_rules(lang)])
        nlp.add_pipe("spine_finding_filter")
    nlp.add_pipe("spine_levels")
    nlp.add_pipe("spine_attributes")
    if engine == "fast":
        nlp.add_pipe("spine_context")
    else:
        context_pipe = nlp.add_pipe(
            "medspacy_context",
            # A cue overlapping a finding does not qualify it (see nlp/pipeline/context.py).
            config={
                "rules": None, "span_attrs": CONTEXT_ATTRIBUTES, "language_code": lang,
                "prune_on_target_overlap": True,
            },
        )
        context_pipe.add(context.rules_for(lang))
    nlp.add_pipe("spine_repeats")  # after ConText: only mentions that say the same are merged
    return nlp


def load(lang: str) -> Language:
    """The shared analyser pipeline for ``lang``; built on first use, then reused.

    Thread-safe: the page serves every visitor from the same two pipelines. Built again once
    its vocabulary has grown by ``MAX_NEW_STRINGS`` (see :func:`_outgrown`), so that memory
    stays bounded however many reports a process analyses.
    """
    check_language(lang)
    nlp = _cache.get(lang)
    if nlp is None or _outgrown(lang, nlp):
        with _lock:
            nlp = _cache.get(lang)
            if nlp is None or _outgrown(lang, nlp):
                replacing = nlp is not None
                nlp = _cache[lang] = None  # the old pipeline may go as soon as its users are done
                if replacing:
                    gc.unfreeze()  # frozen, the old pipeline's reference cycles would stay
                nlp = _cache[lang] = build(lang)
                _strings_at_build[lang] = len(nlp.vocab.strings)
                freeze_long_lived()
    return nlp


def _outgrown(lang: str, nlp: Language) -> bool:
    """True when the pipeline's vocabulary has grown by ``MAX_NEW_STRINGS`` since its build.

    spaCy keeps every word it has seen, with its lower-cased form, shape, prefix and suffix,
    for as long as the pipeline lives (about 500 bytes a new word, measured); its maintainers'
    advice is to load the pipeline again now and then (spaCy pull request #6007). Reports
    share most of their words (about 18 new strings a report after the first hundred,
    measured on the development reports), so this happens after many thousands of reports.
    """
    return len(nlp.vocab.strings) - _strings_at_build.get(lang, 0) > MAX_NEW_STRINGS


def freeze_long_lived() -> None:
    """Exempt what exists now (the shared pipelines, their rules, the imported libraries)
    from the garbage collector's full collections.

    They live as long as the process; without this, every full collection walks them all
    again (about 120,000 objects after the imports and builds: some 65 ms per collection on
    a 2-core machine, about a tenth of the analyser's time in a long run of ``pipe``, measured
    with ``benchmarks/throughput.py``). Garbage is collected first, so none is frozen with
    them (Python's documented use of ``gc.freeze``).
    """
    gc.collect()
    gc.freeze()
