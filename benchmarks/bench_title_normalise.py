"""Job-title normalisation to ESCO occupations (docs/matching-normalisation.md).

Loads the shipped ESCO bundle into a fresh test database, builds the index of
passend.taxonomy.normalise, and ranks ESCO occupations for job titles with
three methods that all index the same surface forms (the Passend index's
labels: every Dutch and English preferred, alternative and hidden label):

* BM25 over words, label scores aggregated to concepts by the best label;
* character 3-5-gram TF-IDF (char_wb), aggregated the same way;
* Passend (`normalise_titles`), with the encoder and in model-free mode.

Evaluations, scored at the level of ESCO concepts (a hit is any surface form
of a relevant occupation), rankings cut at 100:

1. each MELO split folder given (queries.tsv, corpus_elements.tsv,
   annotations.tsv, concept_mapping.tsv; default
   ../shared/data/melo/bel_q_nl_c_nl), its queries divided 50/50 by the URI
   of their relevant concept: "dev" (Passend's weights were tuned on the dev
   half of bel_q_nl_c_nl) and "test" (never tuned on);
2. held out: one Dutch alternative label of each of BENCH_HELDOUT (300)
   occupations picked with a fixed seed is the query, and that label (in
   every kind and language of that occupation) is removed from the database
   before every index is built, so no method can find it verbatim.

    .venv/bin/python benchmarks/bench_title_normalise.py [MELO_SPLIT_DIR ...]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# The encoder's BLAS on two threads crawls when the machine is busy (about 50x
# slower per title under a load of 5 on 2 cores); one thread is steady.
os.environ.setdefault("PASSEND_MATCHING_ENCODER_THREADS", "1")

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings  # noqa: E402

from benchmarks._retrieval import (  # noqa: E402
    BM25,
    CharTfidf,
    aggregate_max,
    evaluate,
    latencies_ms,
    top_ids,
)

DEFAULT_SPLIT = ROOT.parent / "shared" / "data" / "melo" / "bel_q_nl_c_nl"
HELDOUT = int(os.environ.get("BENCH_HELDOUT", "300"))
SEED = int(os.environ.get("BENCH_SEED", "13"))
CUT = 100
GOAL = 1.20
ANCHORS = "BM25 .443, char TF-IDF .486, multilingual-e5-large .506, OpenAI .572"
MELO_FILES = ("queries.tsv", "corpus_elements.tsv", "annotations.tsv", "concept_mapping.tsv")


@dataclass
class Task:
    name: str
    queries: list[str]
    relevant: list[set[str]]


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip()]


def melo_tasks(folder: Path, known: set[str]) -> tuple[list[Task], str]:
    """The dev and test halves of a MELO split, and a note on skipped queries."""
    concept = {row[0]: row[1] for row in read_tsv(folder / "concept_mapping.tsv")}
    relevant: dict[str, set[str]] = {}
    for row in read_tsv(folder / "annotations.tsv"):
        if len(row) >= 4 and row[3].strip() not in ("", "0") and row[2] in concept:
            relevant.setdefault(row[0], set()).add(concept[row[2]])
    halves: dict[str, Task] = {
        half: Task(f"{folder.name} {half}", [], []) for half in ("dev", "test")
    }
    skipped = 0
    for qid, text in read_tsv(folder / "queries.tsv"):
        uris = {uri for uri in relevant.get(qid, set()) if uri in known}
        if not uris:
            skipped += 1
            continue
        digest = hashlib.sha1(sorted(uris)[0].encode()).hexdigest()
        task = halves["dev" if int(digest, 16) % 2 == 0 else "test"]
        task.queries.append(text)
        task.relevant.append(uris)
    note = (
        f"{skipped} queries without a relevant occupation in the bundle skipped" if skipped else ""
    )
    return [halves["dev"], halves["test"]], note


def hold_out_labels(count: int, seed: int) -> Task:
    """Pick Dutch alternative labels as queries and remove them from the database."""
    from passend.taxonomy.models import LABEL_SEPARATOR, Occupation
    from passend.taxonomy.text import normalise

    occupations = list(Occupation.objects.order_by("uri"))
    owners: dict[str, set[int]] = {}
    fields = ("pref_nl", "alt_nl", "hidden_nl", "pref_en", "alt_en", "hidden_en")
    for occupation in occupations:
        for name in fields:
            for label in getattr(occupation, name).split(LABEL_SEPARATOR):
                if normalise(label):
                    owners.setdefault(normalise(label), set()).add(occupation.pk)
    rng = random.Random(seed)
    task = Task("ESCO NL alt labels held out", [], [])
    for occupation in rng.sample(occupations, len(occupations)):
        if len(task.queries) >= count:
            break
        # Only labels no other occupation has, from occupations with two or more.
        candidates = [
            label
            for label in occupation.alternative_labels_nl
            if owners.get(normalise(label)) == {occupation.pk}
        ]
        if len(occupation.alternative_labels_nl) < 2 or not candidates:
            continue
        query = rng.choice(sorted(candidates))
        for name in fields:
            kept = [
                label
                for label in getattr(occupation, name).split(LABEL_SEPARATOR)
                if normalise(label) != normalise(query)
            ]
            setattr(occupation, name, LABEL_SEPARATOR.join(kept))
        occupation.save(update_fields=list(fields))
        task.queries.append(query)
        task.relevant.append({occupation.uri})
    return task


@dataclass
class Row:
    method: str
    figures: dict[str, dict[str, float]]  # task -> metric -> value
    p50: float
    p95: float


def run_methods(tasks: list[Task], language: str = "nl") -> tuple[list[Row], dict[str, float]]:
    """Every method on every task, with the index as the database has it now."""
    from passend.taxonomy import normalise as service

    build: dict[str, float] = {}
    rows: list[Row] = []
    service.forget_index()
    start = time.perf_counter()
    index = service.get_index()
    build["Passend"] = time.perf_counter() - start
    assert index is not None
    concepts = index.uris
    labels = index.labels
    owner = index.label_concept
    all_queries = [q for task in tasks for q in task.queries]

    def baseline(name: str, make: Callable[[Sequence[str]], BM25 | CharTfidf]) -> None:
        start = time.perf_counter()
        method = make(labels)
        build[name] = time.perf_counter() - start

        def rank(batch: Sequence[str]) -> list[list[str]]:
            scores = aggregate_max(method.scores(batch), owner, len(concepts))
            return [[str(u) for u in top_ids(row, concepts, CUT)] for row in scores]

        figures = {
            task.name: evaluate(rank(task.queries), task.relevant) for task in tasks if task.queries
        }
        times = latencies_ms(lambda q: rank([q]), all_queries)
        rows.append(Row(name, figures, times["p50"], times["p95"]))

    baseline("BM25 (words)", BM25)
    baseline("char TF-IDF", CharTfidf)

    def passend(name: str) -> None:
        def rank(batch: Sequence[str]) -> list[list[str]]:
            found = service.normalise_titles(list(batch), language=language, top=CUT)
            return [[m.uri for m in matches] for matches in found]

        figures = {
            task.name: evaluate(rank(task.queries), task.relevant) for task in tasks if task.queries
        }
        times = latencies_ms(lambda q: service.normalise_title(q, language=language), all_queries)
        rows.append(Row(name, figures, times["p50"], times["p95"]))

    passend("Passend" if not index.model_free else "Passend (model-free)")
    if not index.model_free:
        with override_settings(MATCHING_ENCODER="none"):
            service.forget_index()
            start = time.perf_counter()
            service.get_index()
            build["Passend (model-free)"] = time.perf_counter() - start
            passend("Passend (model-free)")
        service.forget_index()
    return rows, build


def print_table(rows: list[Row], tasks: list[Task]) -> None:
    names = [task.name for task in tasks if task.queries]
    for name in names:
        count = next(len(t.queries) for t in tasks if t.name == name)
        print(f"\n  {name} ({count} queries)")
        print(
            f"  {'method':<22} {'MRR':>6} {'A@1':>6} {'A@10':>6}  {'ms/title p50':>12} {'p95':>6}"
        )
        for row in rows:
            f = row.figures[name]
            print(
                f"  {row.method:<22} {f['MRR']:6.3f} {f['A@1']:6.3f} {f['A@10']:6.3f}"
                f"  {row.p50:12.1f} {row.p95:6.1f}"
            )
        by = {row.method: row.figures[name]["MRR"] for row in rows}
        base = by.get("char TF-IDF", 0.0)
        for method in ("Passend", "Passend (model-free)"):
            if method in by and base > 0:
                ratio = by[method] / base
                verdict = "goal reached" if ratio >= GOAL else f"goal of {GOAL:.2f}x NOT reached"
                print(f"  {method} MRR / char TF-IDF MRR = {ratio:.3f} ({verdict})")


def main(argv: list[str]) -> int:
    from benchmarks._db import test_database

    folders = [Path(a) for a in argv] or [DEFAULT_SPLIT]
    with test_database("normalise") as engine:
        from passend.taxonomy.encoder import get_encoder
        from passend.taxonomy.models import Occupation
        from passend.taxonomy.services import load_esco

        start = time.perf_counter()
        load_esco()
        loaded = time.perf_counter() - start
        encoder = get_encoder()
        print(
            f"Job-title normalisation, {dt.date.today():%Y-%m-%d}, {engine}, "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; ESCO bundle loaded in {loaded:.1f} s; "
            f"encoder: {encoder.model_id if encoder else 'none (model-free)'}"
        )
        print(f"Published MELO NL anchors (MRR, for reference): {ANCHORS}")
        known = set(Occupation.objects.values_list("uri", flat=True))
        tasks: list[Task] = []
        for folder in folders:
            missing = [f for f in MELO_FILES if not (folder / f).is_file()]
            if missing:
                print(f"\nMELO split {folder}: skipped, missing {', '.join(missing)}")
                continue
            found, note = melo_tasks(folder, known)
            tasks.extend(found)
            if note:
                print(f"MELO split {folder.name}: {note}")
        if tasks:
            rows, build = run_methods(tasks)
            print("\nMELO (dev: the half Passend was tuned on; test: never tuned on)")
            print_table(rows, tasks)
            print("  index build: " + ", ".join(f"{k} {v:.1f} s" for k, v in build.items()))
        held = hold_out_labels(HELDOUT, SEED)
        rows, build = run_methods([held])
        print(f"\nHeld out (seed {SEED}): the query labels are removed from every index")
        print_table(rows, [held])
        print("  index build: " + ", ".join(f"{k} {v:.1f} s" for k, v in build.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
