"""CV import: precision and recall of the parser per field (docs/cvimport.md).

Generates synthetic CVs with known contents (passend/cvimport/tests/cv_fixtures.py:
Dutch and English, PDF and DOCX, six layouts), reads each one as an upload
is read (text extraction, then parsing), and prints precision and recall per
field, per file type and the time per CV. Needs no database: linking to ESCO
is not measured here.

    .venv/bin/python benchmarks/bench_cv_import.py

BENCH_CV_COUNT (default 60) and BENCH_CV_SEED (default 14) change the set.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

COUNT = int(os.environ.get("BENCH_CV_COUNT", "60"))
SEED = int(os.environ.get("BENCH_CV_SEED", "14"))


def main() -> int:
    from passend.cvimport.tests.cv_fixtures import generate
    from passend.cvimport.tests.quality import measure, table

    cvs = generate(COUNT, seed=SEED)
    started = time.perf_counter()
    tallies = measure(cvs)
    elapsed = time.perf_counter() - started
    print(f"CV import parser: {len(cvs)} generated CVs (seed {SEED}), all layouts and types")
    print(table(tallies))
    for file_type in ("pdf", "docx"):
        subset = [cv for cv in cvs if cv.truth.file_type == file_type]
        worst = min(measure(subset).items(), key=lambda item: item[1].recall)
        print(f"{file_type}: {len(subset)} CVs, lowest recall {worst[0]} {worst[1].recall:.2f}")
    print(f"{elapsed / len(cvs) * 1000:.1f} ms per CV (extraction and parsing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
