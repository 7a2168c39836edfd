"""Typo-tolerant ESCO search on the full bundle (docs/taxonomy.md, "Search").

Loads the shipped ESCO bundle into a fresh test database, then searches 200
queries with one slip in the first three letters of a word (a letter swapped
with the next, left out, doubled or replaced; Dutch and English, preferred
labels of occupations and skills, some of two words or more), made from
labels picked with a fixed seed, and prints the p50 and p95 latency, the
CPU time, the number of SQL queries, and how often the concept was in the
top 5.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_esco_typos.py

BENCH_ESCO_QUERIES (default 200) and BENCH_ESCO_SEED (default 7) change the
number of queries and the labels picked.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

QUERIES = int(os.environ.get("BENCH_ESCO_QUERIES", "200"))
SEED = int(os.environ.get("BENCH_ESCO_SEED", "7"))


def main() -> int:
    from benchmarks._db import test_database

    with test_database("esco") as engine:
        measure(engine)
    return 0


def slip(word: str, position: int, rng: random.Random) -> str:
    """The word with one slip at `position` (0, 1 or 2)."""
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap" and word[position] != word[position + 1]:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if kind == "drop":
        return word[:position] + word[position + 1 :]
    if kind == "double":
        return word[:position] + word[position] + word[position:]
    letters = [c for c in "aeioutnsrlkd" if c != word[position]]
    return word[:position] + rng.choice(letters) + word[position + 1 :]


def typo_queries(count: int) -> list[tuple[str, str, str, str]]:
    """(kind, language, query, expected URI): one slip in a word of 5 letters or more."""
    from passend.taxonomy.models import Occupation, Skill
    from passend.taxonomy.text import normalise

    rng = random.Random(SEED)
    pools = {
        ("occupation", "nl"): list(Occupation.objects.values_list("uri", "pref_nl")),
        ("occupation", "en"): list(Occupation.objects.values_list("uri", "pref_en")),
        ("skill", "nl"): list(Skill.objects.exclude(pref_nl="").values_list("uri", "pref_nl")),
        ("skill", "en"): list(Skill.objects.values_list("uri", "pref_en")),
    }
    for pool in pools.values():
        pool.sort()
    queries: list[tuple[str, str, str, str]] = []
    keys = sorted(pools)
    while len(queries) < count:
        kind, language = keys[len(queries) % len(keys)]
        uri, label = rng.choice(pools[(kind, language)])
        words = normalise(label).split()[:3]
        long_words = [i for i, w in enumerate(words) if len(w) >= 5]
        if not long_words:
            continue
        at = rng.choice(long_words)
        words[at] = slip(words[at], len(queries) % 3, rng)
        queries.append((kind, language, " ".join(words), uri))
    return queries


def measure(engine: str) -> None:
    from passend.taxonomy import selectors
    from passend.taxonomy.services import load_esco

    start = time.perf_counter()
    load_esco()
    loaded = time.perf_counter() - start
    queries = typo_queries(QUERIES)
    search = {"occupation": selectors.search_occupations, "skill": selectors.search_skills}
    # The first search builds the process's vocabulary (once per load of ESCO).
    start = time.perf_counter()
    search["occupation"]("vreplegkundige", language="nl")
    search["skill"]("sfotware", language="en")
    warm = (time.perf_counter() - start) * 1000
    times, cpu, counts, found = [], [], [], 0
    for kind, language, query, uri in queries:
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            hits = search[kind](query, language=language, limit=10)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        counts.append(len(captured))
        found += uri in [hit.uri for hit in hits[:5]]
    times.sort()
    cpu.sort()
    at95 = min(len(times) - 1, round(0.95 * len(times)) - 1)
    print(
        f"ESCO typo search, {engine}: full bundle (loaded in {loaded:.1f} s), "
        f"{len(queries)} queries with a slip in the first three letters of a word"
    )
    print(f"  vocabularies built by the first searches   {warm:8.1f} ms")
    print(f"  p50 latency                                {statistics.median(times):8.1f} ms")
    print(f"  p95 latency                                {times[at95]:8.1f} ms")
    print(f"  max latency                                {times[-1]:8.1f} ms")
    # CPU time of this process: what the search costs, whatever else the machine runs.
    print(f"  p50 CPU time                               {statistics.median(cpu):8.1f} ms")
    print(f"  p95 CPU time                               {cpu[at95]:8.1f} ms")
    print(f"  SQL queries per search                     {max(counts):8d} at most")
    print(f"  concept in the top 5                       {found:5d} of {len(queries)}")


if __name__ == "__main__":
    sys.exit(main())
