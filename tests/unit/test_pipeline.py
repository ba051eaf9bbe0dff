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
