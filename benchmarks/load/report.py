"""The load benchmark's table, its goal marks, and its block in docs/performance.md."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.load.loadgen import Result

BASELINE, PUBLIC, SIGNED_IN = "baseline", "public", "signed-in"
NONE = "-"
NUMERIC = {1, 2, 3, 4, 5, 7, 8}  # right-aligned columns

# The goal of issue 12, on this 2-core machine with 10,000 candidates.
GOAL_RPS = 200.0  # every signed-in read at concurrency 10 ...
GOAL_P99_MS = 250.0  # ... with p99 below this
GOAL_PUBLIC_RPS = 500.0  # /privacy/ and the public pages
GOAL_HIGH_P99_MS = 1000.0  # at concurrency 50: and no errors
LOW_CONCURRENCY = 10

START = "<!-- bench-load:start (written by make bench-load; edits inside are overwritten) -->"
END = "<!-- bench-load:end -->"


@dataclass
class Row:
    database: str
    label: str
    path: str
    kind: str
    concurrency: int
    result: Result | None = None
    baseline_rps: float | None = None
    note: str = ""
    why: str = ""  # the page's measured reason, shown when it misses


def misses(row: Row) -> list[str]:
    """What of the goal this row misses (empty: met)."""
    result = row.result
    assert result is not None
    missed = []
    if row.concurrency <= LOW_CONCURRENCY:
        if row.kind == SIGNED_IN and not result.rps >= GOAL_RPS:
            missed.append(f"< {GOAL_RPS:.0f}/s")
        if not result.p99 < GOAL_P99_MS:
            missed.append(f"p99 ≥ {GOAL_P99_MS:.0f} ms")
    else:
        if not result.p99 < GOAL_HIGH_P99_MS:
            missed.append(f"p99 ≥ {GOAL_HIGH_P99_MS / 1000:.0f} s")
    if result.errors:
        missed.append("errors")
    if row.kind == PUBLIC and not result.rps >= GOAL_PUBLIC_RPS:
        missed.append(f"< {GOAL_PUBLIC_RPS:.0f}/s")
    return missed


def verdict(row: Row) -> str:
    if row.result is None:
        return row.note
    if row.kind == BASELINE:
        return "baseline"
    if not row.result.requests and not row.result.errors:
        return f"missed: no answer finished within {row.result.seconds:g} s"
    missed = misses(row)
    return "met" if not missed else "missed: " + ", ".join(missed)


def reasons(rows: list[Row]) -> list[str]:
    """One line per page that missed the goal in some row: its label and why."""
    out: list[str] = []
    seen: set[str] = set()
    for row in rows:
        if row.result is None or row.kind == BASELINE or row.label in seen:
            continue
        if not row.result.requests or misses(row):
            seen.add(row.label)
            out.append(f"{row.label}: {row.why or 'no reason recorded yet'}")
    return out


def _number(value: float, digits: int = 0) -> str:
    return NONE if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def cells(row: Row) -> list[str]:
    result = row.result
    if result is None:
        return [row.label, str(row.concurrency), *[NONE] * 7, verdict(row)]
    ratio = (
        f"{result.rps / row.baseline_rps:.2f}"
        if row.baseline_rps and row.kind != BASELINE
        else "1.00"
        if row.kind == BASELINE
        else NONE
    )
    errors = str(result.errors)
    if result.errors:
        errors += " (" + ", ".join(f"{k}: {v}" for k, v in result.error_kinds.items()) + ")"
    return [
        row.label,
        str(row.concurrency),
        _number(result.rps),
        _number(result.p50, 1),
        _number(result.p95, 1),
        _number(result.p99, 1),
        errors,
        ratio,
        _number(result.mean_bytes / 1024, 1),
        verdict(row),
    ]


HEADER = ["page", "conc.", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "x base", "KB", "goal"]


def table(database: str, rows: list[Row]) -> str:
    """The rows as an aligned text table, for the terminal."""
    lines = [HEADER, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = [database]
    for number, line in enumerate(lines):
        out.append(
            "  ".join(
                cell.rjust(widths[i]) if i in NUMERIC else cell.ljust(widths[i])
                for i, cell in enumerate(line)
            ).rstrip()
        )
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    missed = reasons(rows)
    if missed:
        out += ["", "Why the pages that miss the goal do:", *(f"  - {line}" for line in missed)]
    return "\n".join(out)


def progress_line(row: Row, size: int) -> str:
    result = row.result
    assert result is not None
    return (
        f"{row.label:<34} c={row.concurrency:<3} {result.rps:8.1f}/s  "
        f"p50 {result.p50:7.1f}  p99 {result.p99:7.1f} ms  errors {result.errors}  "
        f"{size / 1024:.0f} KB  {verdict(row)}"
    )


def _load(facts: dict[str, Any], key: str) -> str:
    value = facts.get(key)
    return f"{value[0]:.1f}" if value else "?"


def markdown(details: dict[str, str], passes: list[tuple[Any, list[Row]]]) -> str:
    """The generated block of docs/performance.md."""
    out = [
        START,
        "",
        f"Measured {details['date']} by `make bench-load` on this machine: "
        f"{details['cores']} cores, {details['memory']} RAM, {details['system']}, "
        f"Python {details['python']}, gunicorn {details['gunicorn']} "
        f"(3 sync workers). {details['seconds']} s measured per row after "
        f"{details['warmup']} s of warm-up; the generator ran in {details['processes']} "
        f"processes and its ceiling was {details['ceiling']} requests/s. "
        f"The whole run took {details['total']} s.",
        "",
    ]
    for stack, rows in passes:
        facts = stack.facts
        out += [
            f"### {stack.name}",
            "",
            f"{facts.get('database', '')}, cache: {facts.get('cache', '')}; "
            f"{facts.get('organisation', 'organisation A')} with "
            f"{facts.get('candidates', '?'):,} candidates. Load average of the machine "
            f"(1 min) before the load: {_load(facts, 'load_before')}, after: "
            f"{_load(facts, 'load_after')}.",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|"
            + "|".join("---:" if i in {1, 2, 3, 4, 5, 7, 8} else "---" for i in range(10))
            + "|",
        ]
        for row in rows:
            line = cells(row)
            line[0] = f"{row.label} `{row.path}`" if row.path not in row.label else row.label
            out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
        met = sum(1 for r in rows if r.result and r.kind != BASELINE and not misses(r))
        measured = sum(1 for r in rows if r.result and r.kind != BASELINE)
        out += ["", f"Goal met in {met} of {measured} measured rows.", ""]
        missed = reasons(rows)
        if missed:
            out += ["Why the pages that miss the goal do:", ""]
            out += [f"- {line}" for line in missed]
            out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


def write_docs(path: Path, block: str) -> None:
    """Replace the generated block of `path` (or add it at the end)."""
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END) :].lstrip("\n")
        text = before + block + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block
    path.write_text(text)
