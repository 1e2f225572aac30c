"""Repairing denormalised counters from their source rows, in primary-key batches.

Each batch is one transaction: one SELECT joins the batch's rows to GROUP BY totals of the
source tables (restricted to the same key range, joined once, no subquery per row) and returns
only the rows whose stored counters differ. Those rows are then locked, read again and written,
so a like committed meanwhile is neither lost nor counted twice. Batches that committed stay
committed: a run killed half-way and run again ends where a clean run does.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Expression, IntegerField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.locks import lock_rows

logger = logging.getLogger(__name__)

GROUP_KEY = "row_id"
# Up to this many drifted rows of a batch are read again by key (each source query lists them,
# so the statement's parameters stay far below the databases' limits); more, the whole batch.
RESCAN_BY_KEY_MAX = 500


@dataclass(frozen=True)
class Scope:
    """The rows one batch repairs: primary keys from `first` to `last`, within `pks` if given."""

    first: int
    last: int
    pks: Sequence[int] | None = None

    def of(self, field: str) -> Q:
        """The batch's rows as a filter on `field`, their primary key or a foreign key to it."""
        condition = Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})
        if self.pks is not None:
            condition &= Q(**{f"{field}__in": self.pks})
        return condition


@dataclass(frozen=True)
class Drift:
    """A row whose stored counters differ from the ones counted from the source rows."""

    pk: int
    stored: Mapping[str, int]
    recounted: Mapping[str, int]

    @property
    def changes(self) -> str:
        """'likes_count 9 → 1 (-8), ces 9 → 5 (-4)': only the counters that change."""
        return ", ".join(
            f"{name} {self.stored[name]} → {value} ({value - self.stored[name]:+d})"
            for name, value in self.recounted.items()
            if value != self.stored[name]
        )


def total(source: str, column: str) -> Expression:
    """A total of the GROUP BY source `source` for the row, 0 when it has no source rows."""
    quote = connection.ops.quote_name
    sql = f"COALESCE({quote(source)}.{quote(column)}, 0)"
    return RawSQL(sql, (), output_field=IntegerField())  # noqa: S611 - quoted names of ours


def counters_drifted(
    rows: QuerySet, *, sources: Mapping[str, QuerySet], recounted: Mapping[str, Expression]
) -> list[Drift]:
    """The rows of `rows` whose stored counters differ from `recounted`, in one SELECT.

    `sources` are GROUP BY querysets selecting the primary key of the row they count for as
    `row_id` (`.values(row_id=F("note_id")).annotate(...)`); each is joined once, under its
    name, and `recounted` maps each stored counter to an expression over their `total()`s.
    """
    quote = connection.ops.quote_name
    compiler = rows.query.get_compiler(connection=connection)
    pk = rows.model._meta.pk.attname
    selected, params = [f"stored.{quote(pk)}"], []
    for counter, expression in recounted.items():
        sql, expression_params = compiler.compile(expression)
        selected += [f"stored.{quote(counter)}", f"{sql} AS {quote('recounted_' + counter)}"]
        params += expression_params
    stored_sql, stored_params = rows.order_by().values(pk, *recounted).query.sql_with_params()
    tables = [f"({stored_sql}) stored"]
    params += stored_params
    for name, grouped in sources.items():
        sql, source_params = grouped.order_by().query.sql_with_params()
        tables.append(
            f"LEFT JOIN ({sql}) {quote(name)} "
            f"ON {quote(name)}.{quote(GROUP_KEY)} = stored.{quote(pk)}"
        )
        params += source_params
    differs = " OR ".join(f"{quote(c)} <> {quote('recounted_' + c)}" for c in recounted)
    # Only quoted names of ours and SQL compiled by the ORM go in; values are parameters.
    query = (
        f"SELECT * FROM (SELECT {', '.join(selected)} FROM {' '.join(tables)}) recount "  # noqa: S608
        f"WHERE {differs}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    return [
        Drift(
            pk=row[0],
            stored=dict(zip(recounted, row[1::2], strict=True)),
            recounted=dict(zip(recounted, row[2::2], strict=True)),
        )
        for row in found
    ]


def counters_write(model: type[Model], values: Mapping[int, Mapping[str, int]]) -> None:
    """Set counters of many rows, `values` mapping each primary key to its counters.

    One UPDATE … FROM (VALUES …) per thousand rows (PostgreSQL, SQLite 3.33+): bulk_update's
    CASE per row and field costs seconds a batch when many rows drifted.
    """
    if not values:
        return
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    fields = list(next(iter(values.values())))
    assignments = ", ".join(
        f"{quote(model._meta.get_field(name).column)} = recounted.column{index}"
        for index, name in enumerate(fields, start=2)
    )
    row = "(" + ", ".join(["CAST(%s AS INTEGER)"] * (1 + len(fields))) + ")"
    items = list(values.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608 - quoted names of ours
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS recounted "
                f"WHERE {table}.{pk} = recounted.column1",
                [value for key, counters in chunk for value in (key, *counters.values())],
            )


def counters_recount(
    model: type[Model],
    *,
    pks: Sequence[int] | None,
    scan: Callable[[Scope], list[Drift]],
    batch_size: int,
    write: Callable[[list[Drift]], object] | None = None,
    on_batch: Callable[[int, list[Drift]], object] | None = None,
) -> int:
    """Repair the counters of every row of `model` (or of those in `pks`), batch by batch;
    returns how many rows were corrected.

    `scan` finds a batch's drifted rows (with counters_drifted); `write` stores their
    recounted values, by default with counters_write. `on_batch(rows, corrected)` is told of
    each committed batch (a progress bar, a run's summary). Idempotent; each corrected row is
    logged with its changes.
    """
    if write is None:

        def write(drifted: list[Drift]) -> None:
            counters_write(model, {drift.pk: drift.recounted for drift in drifted})

    rows = model._default_manager.order_by("pk")
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    corrected, after = 0, None
    while True:
        batch = rows if after is None else rows.filter(pk__gt=after)
        keys = list(batch.values_list("pk", flat=True)[:batch_size])
        if not keys:
            return corrected
        scope = Scope(first=keys[0], last=keys[-1], pks=pks)
        with transaction.atomic():
            drifted = scan(scope)
            if drifted:
                # Read again under the row locks (taken in primary-key order): a like committed
                # since the first read is then counted, one still open waits for this batch.
                # Rows that drifted only since the first read are left to the next run.
                # A few locked rows are read again by key, not the whole batch: reading every
                # batch twice doubled the cost of a run that finds a little drift everywhere.
                locked = sorted(drift.pk for drift in drifted)
                lock_rows(model._default_manager.filter(pk__in=locked).only("pk"))
                again = scope
                if len(locked) <= RESCAN_BY_KEY_MAX:
                    again = Scope(first=locked[0], last=locked[-1], pks=locked)
                wanted = set(locked)
                drifted = [drift for drift in scan(again) if drift.pk in wanted]
                write(drifted)
        for drift in drifted:
            logger.info("%s %s counters corrected: %s", model._meta.label, drift.pk, drift.changes)
        corrected += len(drifted)
        if on_batch is not None:
            on_batch(len(keys), drifted)
        after = keys[-1]
