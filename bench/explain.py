"""EXPLAIN ANALYZE of the queries one request makes, and whether any scans a big table whole."""

import re

from django.db import connection

# The tables a feed must never read whole: an index decides which rows it touches.
WATCHED_TABLES = (
    "notes_note",
    "notes_like",
    "notes_bookmark",
    "notes_comment",
    "users_follow",
    "taggit_taggeditem",
    "notes_taggednote",
)
_SKIPPED = re.compile(r'FROM "django_session"|FROM "users_user" WHERE \(?"users_user"\."id" = \d+')
_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?! USING)")


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
    return []


def full_scans(plan: list[str]) -> set[str]:
    """The watched tables a plan reads whole (a Seq Scan; SQLite: a SCAN without an index)."""
    found = set()
    for line in plan:
        for pattern in (_SEQ_SCAN, _SQLITE_SCAN):
            match = pattern.search(line.strip())
            if match and match.group(1) in WATCHED_TABLES:
                found.add(match.group(1))
    return found


def explain_queries(queries: list[dict]) -> tuple[list[str], set[str]]:
    """(lines to show, watched tables scanned whole) for the captured queries of a request.

    The session and user look-ups every signed-in request makes are left out.
    """
    lines: list[str] = []
    scanned: set[str] = set()
    for number, query in enumerate(queries, start=1):
        sql = query["sql"] or ""
        if not sql.lstrip().upper().startswith("SELECT") or _SKIPPED.search(sql):
            continue
        shown = sql if len(sql) <= 300 else sql[:300] + " …"
        lines.append(f"-- query {number}: {shown}")
        try:
            plan = _plan(sql)
        except Exception as error:  # noqa: BLE001 - a plan we cannot get is shown, not fatal
            lines.append(f"   (no plan: {error})")
            continue
        lines += [f"   {line}" for line in plan]
        scanned |= full_scans(plan)
    return lines, scanned
