"""The README lists every source the prevalence and urgency lexicons cite (issue 12: "the README
lists the sources"): a source added to a lexicon without the README fails here."""
from pathlib import Path

import pytest

from nlp.lexicon import load_yaml

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SOURCES = [(name, key, entry) for name in ("prevalence.yaml", "urgency.yaml")
           for key, entry in load_yaml(name)["sources"].items()]


@pytest.mark.parametrize("name,key,entry", SOURCES, ids=[f"{n}:{k}" for n, k, _ in SOURCES])
def test_the_readme_names_the_source(name, key, entry):
    sources = README[README.index("## Sources"):]
    assert f"`{name}`: {key}]" in sources
    assert str(entry["year"]) in sources and str(entry["title"])[:40] in " ".join(sources.split())
