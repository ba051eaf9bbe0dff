"""The worst input of each kind, each read and analysed in a fresh process: seconds and peak MB.

Each case runs in its own process (``resource.getrusage`` maxrss is per process), first the
imports and pipelines alone (the baseline), then the case. What the page adds on top (a deadline
of 15 s and 2 GB per call, nlp/page/guard.py) is not used here: this shows what the readers and the
analyser do on their own, so that the guard is a second line, not the only one.

Run::

    .venv/bin/python benchmarks/bad_inputs.py
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

CASES = {
    "baseline (imports, pipelines)": "pass",
    "paste: '+' x 16,000 (quadratic in spaCy's tokenizer)": "analyse('No fracture. ' + '+' * 16000, lang='en')",
    "paste: '+' x 500,000": "analyse('+' * 500000, lang='en')",
    "paste: zero-width spaces x 100,000": "analyse('No' + '\\u200b' * 100000 + ' fracture.', lang='en')",
    "paste: one sentence, 'no disc bulge, ' x 8,000": "analyse('no disc bulge, ' * 8000, lang='en')",
    "paste: 2,000,000 characters of report lines": "analyse(('L4-L5: mild disc bulge, no stenosis.\\n' * 60000)[:2000000], lang='en')",
    "PDF: 70 MB of drawing instructions in ~70 KB": "read(pdf_budgets.operand_bomb(), 'x.pdf')",
    "PDF: drawings drawing each other (8^7 copies)": "read(pdf_budgets.xobject_fan_out(), 'x.pdf')",
    "DOCX: zip bomb (60 MB of zeros)": "read(fixtures.make_zip_bomb_docx(60), 'x.docx')",
}

RUNNER = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from nlp import analyse
from nlp.inputs.readers import ReadError, read_bytes
from tests import fixtures
from tests.hardening import test_pdf_budgets as pdf_budgets
import nlp
nlp.load('en')

def read(data, name):
    try:
        return read_bytes(data, name)
    except ReadError as error:
        return error.code

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.monotonic()
result = eval(sys.argv[2]) if sys.argv[2] != 'pass' else None
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
outcome = result if isinstance(result, str) and len(result) < 40 else (
    f"{len(result.findings)} findings" if hasattr(result, 'findings') else ('text read' if result else '-'))
print(json.dumps({"seconds": seconds, "peak": peak, "before": before, "outcome": outcome}))
"""


def main() -> None:
    print(f"{'input':<52} {'seconds':>8} {'peak MB':>8} {'+MB':>6}  outcome")
    for name, code in CASES.items():
        run = subprocess.run([sys.executable, "-c", RUNNER, str(REPO_ROOT), code],
                             capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
        if run.returncode:
            print(f"{name:<52} failed: {run.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{name:<52} {r['seconds']:>8.2f} {r['peak']:>8.0f} {r['peak'] - r['before']:>6.0f}  {r['outcome']}")


if __name__ == "__main__":
    main()
