"""Spine MRI report analyser for Dutch and English.

    import nlp
    pipeline = nlp.load("nl")                 # spaCy Language, built once, reused
    report = nlp.analyse(text, lang=None, age=None)
    report.to_dict()                          # the JSON of interface.md
    nlp.compare(old_text, new_text).to_list() # what changed between two reports
"""
from .analyse import InputError, analyse, context
from .match import match
from .compare import Comparison, compare
from .pipeline import build, load
from .report import Finding, Report

__all__ = ["analyse", "compare", "Comparison", "context", "load", "build", "Report", "Finding", "InputError", "match"]
__version__ = "0.1.0"
