"""Encrypt and decrypt throughput of BSN values (issue 3, performance).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_crypto.py

Runs against a throw-away test database (in-memory SQLite under the test
settings). Prints operations per second, the median of several runs:
- encrypt: `encrypt_text`, as a field's pre_save does it (one indexed query
  for the organisation's primary key, then AES-256-GCM);
- decrypt: `decrypt_text`, as a field's from_db_value does it (data key from
  the per-process cache, then AES-256-GCM);
- blind index: HMAC-SHA256 under the organisation's derived subkey;
- AES-GCM alone, with a loaded key, and one plain ORM query, for comparison:
  encryption costs about one indexed query, because which key is primary is
  deliberately not cached (docs/crypto.md, "Caching").
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

RUNS = 7
OPS = 2000
CONTEXT = "candidates.candidate.bsn"


def bsns(count: int) -> list[str]:
    from stdnum.nl import bsn

    found: list[str] = []
    number = 100000000
    while len(found) < count:
        candidate = str(number)
        if bsn.is_valid(candidate):
            found.append(candidate)
        number += 1
    return found


def rate(operation: Callable[[int], object]) -> float:
    rates = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for index in range(OPS):
            operation(index)
        rates.append(OPS / (time.perf_counter() - start))
    return statistics.median(rates)


def run() -> None:
    from passend.privacy.crypto.blind_index import blind_index
    from passend.privacy.crypto.envelope import decrypt_text, encrypt_text
    from passend.privacy.crypto.keys import NONCE_BYTES, primary_key
    from passend.tenancy.models import Organisation

    organisation = Organisation.objects.create(name="Bench", slug="bench", kind="staffing")
    values = bsns(OPS)
    tokens = [encrypt_text(v, organisation=organisation, context=CONTEXT) for v in values]
    key = primary_key(organisation)
    nonce = os.urandom(NONCE_BYTES)

    results = {
        "encrypt (key lookup + AES-GCM)": rate(
            lambda i: encrypt_text(values[i], organisation=organisation, context=CONTEXT)
        ),
        "decrypt (cached key + AES-GCM)": rate(lambda i: decrypt_text(tokens[i], context=CONTEXT)),
        "blind index (HMAC-SHA256)": rate(
            lambda i: blind_index(values[i], organisation=organisation)
        ),
        "AES-GCM encrypt alone": rate(
            lambda i: key.aead.encrypt(nonce, values[i].encode(), CONTEXT.encode())
        ),
        "one ORM query (baseline)": rate(
            lambda i: Organisation.objects.filter(pk=organisation.pk).first()
        ),
    }
    assert decrypt_text(tokens[0], context=CONTEXT).plaintext == values[0]
    print(f"BSN encryption throughput, median of {RUNS} runs of {OPS} values")
    print(f"database: {connection.vendor}")
    for name, ops in results.items():
        print(f"  {name:<34} {ops:>12,.0f} ops/s")
    encrypt, decrypt = (
        results["encrypt (key lookup + AES-GCM)"],
        results["decrypt (cached key + AES-GCM)"],
    )
    print(f"  {'encrypt+decrypt round trip':<34} {1 / (1 / encrypt + 1 / decrypt):>12,.0f} ops/s")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
