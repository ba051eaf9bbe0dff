"""nlp.load: the shared pipelines, built once and kept out of the garbage collector's way."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process: gc.freeze's count after each step, and whether load reuses its pipeline.
CODE = """
import gc, json
import nlp
counts = {"start": gc.get_freeze_count()}
nlp.build("en")
counts["after build"] = gc.get_freeze_count()
first = nlp.load("en")
counts["after load"] = gc.get_freeze_count()
again = nlp.load("en")
counts["after second load"] = gc.get_freeze_count()
counts["same pipeline"] = first is again
print(json.dumps(counts))
"""


def test_load_freezes_the_long_lived_objects_once_and_build_does_not():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["after build"] == counts["start"] == 0
    # The imports and both builds (tens of thousands of objects) leave full collections.
    assert counts["after load"] > 50_000
    assert counts["after second load"] == counts["after load"]
    assert counts["same pipeline"] is True


# In a fresh process, with a small bound: the shared pipeline is built again once its
# vocabulary has outgrown the bound, gives the same results, and frees the old vocabulary.
RELOAD_CODE = """
import gc, json
import nlp
import nlp.pipeline as pipeline
pipeline.MAX_NEW_STRINGS = 1_000
text = "FINDINGS:\\nMild disc bulge at L4-L5, no canal stenosis.\\nLeft foraminal narrowing at L5-S1."
first = nlp.load("en")
before = nlp.analyse(text, lang="en").to_dict()
out = {"same while small": nlp.load("en") is first}
first(" ".join("qz%dxw" % i for i in range(1_500)))  # 1,500 new words
second = nlp.load("en")
out["rebuilt"] = second is not first
out["fresh vocabulary"] = len(second.vocab.strings) < len(first.vocab.strings)
out["same results"] = nlp.analyse(text, lang="en").to_dict() == before
out["frozen again"] = gc.get_freeze_count() > 0
out["stays"] = nlp.load("en") is second
print(json.dumps(out))
"""


def test_load_builds_the_pipeline_again_when_its_vocabulary_has_outgrown_the_bound():
    done = subprocess.run([sys.executable, "-c", RELOAD_CODE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "same while small": True, "rebuilt": True, "fresh vocabulary": True, "same results": True,
        "frozen again": True, "stays": True,
    }
