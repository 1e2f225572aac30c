"""bench/results/<name>.json and .md: one fixed shape, so any two runs compare.

{"commit": …, "dataset": {table: rows}, "results": [{"name", "kind", "p50_ms", "p95_ms",
"max_ms", "queries", "rps", "ratio_to_ceiling", "ratio_to_floor", "value", "note"}, …]}
A field that does not apply is null; `value` carries a number that is not a time
(worker_rss_mb in MB, phone_page_bytes in bytes).
"""

import json
import math
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

RESULTS_DIR = Path(settings.BASE_DIR) / "bench" / "results"
STATE_DIR = Path(settings.BASE_DIR) / ".bench"


@dataclass
class Result:
    name: str
    kind: str  # "inprocess" | "http" | "job"
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: int | None = None
    rps: float | None = None
    ratio_to_ceiling: float | None = None
    ratio_to_floor: float | None = None
    value: float | None = None
    note: str | None = None
    # Shown in the Markdown only: the plans of the measured request's queries.
    explain: list[str] = field(default_factory=list, repr=False)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("explain")
        return data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, no input
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout.strip()


def _state_file() -> Path:
    name = str(connection.settings_dict.get("NAME") or "default")
    return STATE_DIR / f"seed_large-{connection.vendor}-{Path(name).name}.json"


def remember_seeding(*, scale: float, seconds: float, rows: dict[str, int]) -> None:
    """Keep the last seeding's time for this database, for the `seed_large` result."""
    STATE_DIR.mkdir(exist_ok=True)
    _state_file().write_text(json.dumps({"scale": scale, "seconds": seconds, "rows": rows}))


def last_seeding() -> dict[str, Any] | None:
    try:
        return json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return None


def _cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


@dataclass(frozen=True)
class Goal:
    """One of issue 8's goals: `result`'s `field` (of the row of `kind`) at most, or at least,
    `target`."""

    label: str
    result: str
    field: str
    target: float
    at_most: bool = True
    kind: str = "inprocess"


GOALS = (
    Goal("Discover p95 (ms)", "discover_page", "p95_ms", 25),
    Goal("Discover queries", "discover_page", "queries", 10),
    Goal(
        "Discover throughput (× ceiling)", "discover_page", "ratio_to_ceiling", 0.40, False, "http"
    ),
    Goal("Follow p95 (ms)", "follow_page", "p95_ms", 25),
    Goal("Follow, 50 a page, p95 (ms)", "follow_page_50", "p95_ms", 25),
    Goal("Note page p95 (ms)", "note_page", "p95_ms", 25),
    Goal("Note with thousands of comments p95 (ms)", "note_page_heavy", "p95_ms", 25),
    Goal("Profile p95 (ms)", "profile_page", "p95_ms", 25),
    Goal("Tag page p95 (ms)", "tag_page", "p95_ms", 25),
    Goal("Nearby p95 (ms)", "nearby_page", "p95_ms", 30),
    Goal("Search, typed again, p95 (ms)", "search", "p95_ms", 100, kind="job"),
    Goal("Search, ranked afresh, p95 (ms)", "search_cold", "p95_ms", 100, kind="job"),
    Goal("Search, most liked, p95 (ms)", "search_liked", "p95_ms", 100, kind="job"),
    Goal("Nightly recount (× floor)", "ces_job", "ratio_to_floor", 1.5, kind="job"),
    Goal("Large dataset seeded (ms)", "seed_large", "p50_ms", 300_000, kind="job"),
)
DEPTH_GOAL = 1.5  # a deep page's p95 at most this many times its first page's
DEEP_PAGES = {
    "discover_page_deep": "discover_page",
    "follow_page_deep": "follow_page",
    "nearby_page_deep": "nearby_page",
}


def _goal_line(label: str, measured: float, target: float, at_most: bool) -> str:
    met = measured <= target if at_most else measured >= target
    verdict = "met" if met else f"missed by {abs(measured - target) / target:.0%}"
    sign = "≤" if at_most else "≥"
    return f"| {label} | {measured:g} | {sign} {target:g} | {verdict} |"


GOALS_SCALE = 1.0  # the goals are for the large dataset


def goals_markdown(results: list[Result], *, scale: float = GOALS_SCALE) -> list[str]:
    """Each goal this run measured, met or missed by how much (nothing for one not run).

    Only a run on the large dataset is judged: a goal says nothing about a smaller one.
    """
    if scale != GOALS_SCALE:
        return [
            "",
            "## Goals",
            "",
            f"The goals are for the large dataset (scale {GOALS_SCALE:g}); this run is at scale "
            f"{scale:g}, so none is judged here.",
        ]
    found = {(result.name, result.kind): result for result in results}
    lines = []
    for goal in GOALS:
        result = found.get((goal.result, goal.kind))
        measured = getattr(result, goal.field, None) if result is not None else None
        if measured is not None:
            lines.append(_goal_line(goal.label, round(measured, 2), goal.target, goal.at_most))
    for deep, first in DEEP_PAGES.items():
        deep_row, first_row = found.get((deep, "inprocess")), found.get((first, "inprocess"))
        if deep_row and first_row and deep_row.p95_ms and first_row.p95_ms:
            ratio = round(deep_row.p95_ms / first_row.p95_ms, 2)
            lines.append(_goal_line(f"{deep} p95 (× page 1)", ratio, DEPTH_GOAL, True))
    if not lines:
        return []
    return [
        "",
        "## Goals",
        "",
        "| goal | measured | goal | |",
        "| --- | ---: | ---: | --- |",
        *lines,
        *_signed_in_share(found),
    ]


def _signed_in_share(found: dict[tuple[str, str], Result]) -> list[str]:
    """How much of the ceiling a signed-in page can reach at all, and Discover's share of that:
    the Discover goal's ratio includes loading the session and the account, which is not
    Discover's own work."""
    signed_in, discover = (
        found.get(("ceiling_signed_in", "http")),
        found.get(("discover_page", "http")),
    )
    if not (signed_in and discover and signed_in.ratio_to_ceiling and discover.ratio_to_ceiling):
        return []
    return [
        "",
        f"A signed-in page that does nothing of its own (ceiling_signed_in: the session and the "
        f"account loaded) reaches {signed_in.ratio_to_ceiling:.2f}× the ceiling over HTTP; "
        f"Discover reaches {discover.ratio_to_ceiling / signed_in.ratio_to_ceiling:.2f}× of that.",
    ]


def markdown(
    document: dict[str, Any],
    results: list[Result],
    preamble: list[str],
    *,
    scale: float = GOALS_SCALE,
) -> str:
    lines = [f"# Bench results ({document['commit'] or 'uncommitted'})", ""]
    lines += preamble
    lines += ["", "## Dataset", "", "| table | rows |", "| --- | ---: |"]
    lines += [f"| {table} | {rows:,} |" for table, rows in document["dataset"].items()]
    lines += [
        "",
        "## Results",
        "",
        "| name | kind | p50 ms | p95 ms | max ms | queries | rps | × ceiling | × floor | value "
        "| note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        lines.append(
            f"| {result.name} | {result.kind} | {_cell(result.p50_ms)} | {_cell(result.p95_ms)} "
            f"| {_cell(result.max_ms)} | {_cell(result.queries)} | {_cell(result.rps, 0)} "
            f"| {_cell(result.ratio_to_ceiling, 2)} | {_cell(result.ratio_to_floor, 2)} "
            f"| {_cell(result.value)} | {result.note or ''} |"
        )
    lines += goals_markdown(results, scale=scale)
    plans = [result for result in results if result.explain]
    if plans:
        lines += ["", "## Query plans (EXPLAIN ANALYZE of each request's queries)", ""]
        for result in plans:
            lines += [f"### {result.name}", "", "```", *result.explain, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def write(
    *,
    name: str,
    dataset: dict[str, int],
    results: list[Result],
    preamble: list[str],
    scale: float = GOALS_SCALE,
) -> Path:
    """Write <name>.json and <name>.md into bench/results/; returns the JSON path."""
    document = {
        "commit": commit(),
        "dataset": dataset,
        "results": [result.as_json() for result in results],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    (RESULTS_DIR / f"{name}.md").write_text(markdown(document, results, preamble, scale=scale))
    return path
