"""Full-text search every app shares: words cut by jieba, one interface, two engines.

Chinese has no spaces between words, so neither PostgreSQL's parser nor SQLite's tokenizer can
find "火锅" in "成都火锅推荐". Text is therefore cut into words here (jieba, with a dictionary
staff extend), lower-cased, simple English plurals made singular and punctuation dropped; the
engines then only ever see words separated by spaces:

- PostgreSQL: a `vector` tsvector column built with the 'simple' configuration (no stemming, the
  words are already cut), a GIN index, ts_rank for relevance.
- SQLite (the embedded default): an FTS5 table `<table>_fts` beside the index table, bm25 for
  relevance.

An index is a model of its app with this shape (core has no models): the primary key is the
indexed object's primary key, `primary_text` (title, name, tags: weighted high) and
`secondary_text` (body, bio), both made with `document()`, and `vector`, a SearchVectorField
left empty on SQLite. `index_migration()` creates the engine's part in the app's migration, and
`vector_trigger_migration()` PostgreSQL's trigger that fills `vector` as a row is written.
Apps write rows with `index_save()` / `index_delete()` from their services and read with
`matching()`, which annotates `search_relevance` (higher is better, > 0).
"""

import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, migrations
from django.db.models import F, FloatField, Model, QuerySet, Value
from django.db.models.expressions import RawSQL

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

QUERY_MAX_CHARS = 100  # a longer query is cut: nobody types more, and it bounds the SQL
QUERY_TERMS_MAX = 10
TOKEN_MAX_CHARS = 40
WORDS_CHECK_SECONDS = 30  # how stale another process's copy of the dictionary may be
WORDS_VERSION_KEY = "search:words:version"
PRIMARY_WEIGHT = 4.0  # a word in a title, name or tag counts this many times one in a body

# Words too common to tell notes apart; dropped from documents and queries alike.
STOPWORDS = frozenset(
    (
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is"),
        *("it", "of", "on", "or", "the", "to", "with"),
        *("的", "了", "和", "是", "在", "也", "都", "就", "与", "及", "或"),
        *("啊", "吗", "呢", "吧", "呀", "哦", "之"),
    )
)
_NOT_WORD = re.compile(r"[\W_]+")
_LATIN = re.compile(r"[a-z]+")


# --- Words


@dataclass
class _Words:
    source: Callable[[], Iterable[str]] | None = None
    loaded: frozenset[str] = frozenset()
    version: object = None
    checked_at: float = 0.0


_words = _Words()


def words_source_set(source: Callable[[], Iterable[str]]) -> None:
    """Where the staff dictionary comes from: an app passes a function that reads its table
    (core has no models). Read lazily, before the first cut."""
    _words.source = source
    _words.checked_at = 0.0
    _words.version = None


def words_changed() -> None:
    """Staff changed the dictionary: every process reloads it within WORDS_CHECK_SECONDS, this
    one at once. Call after the change is committed."""
    cache.set(WORDS_VERSION_KEY, time.time_ns(), None)
    _words.checked_at, _words.version = 0.0, None


def _words_ensure() -> None:
    now = time.monotonic()
    if _words.source is None or now - _words.checked_at < WORDS_CHECK_SECONDS:
        return
    _words.checked_at = now
    version = cache.get(WORDS_VERSION_KEY, 0)
    if version == _words.version:
        return
    words = frozenset(word.strip().lower() for word in _words.source() if word.strip())
    for word in _words.loaded - words:
        jieba.del_word(word)
    for word in words - _words.loaded:
        jieba.add_word(word)
    _words.loaded, _words.version = words, version


def singular(word: str) -> str:
    """ "lipsticks" → "lipstick", "dresses" → "dress", "berries" → "berry": English plurals the
    simple way (no stemmer: "news", "glass" and "bus" stay)."""
    if not _LATIN.fullmatch(word) or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ews")):
        return word[:-1]
    return word


def _normalised(token: str) -> str:
    word = _NOT_WORD.sub("", token)[:TOKEN_MAX_CHARS]
    word = singular(word)
    return "" if word in STOPWORDS else word


def words(text: str, *, for_index: bool = False) -> list[str]:
    """The words of `text`, normalised: full-width forms folded (NFKC: "１５５ＣＭ" is "155cm"),
    lower case, singular, no punctuation or stopwords. Letters and digits written together stay
    one word ("155cm", "iphone15").

    For the index every word is also cut into its shorter words (jieba's search mode:
    "小个子" gives "个子" and "小个子"), so a query finds a note by either.
    """
    _words_ensure()
    text = unicodedata.normalize("NFKC", text).lower()
    cut = jieba.cut_for_search(text) if for_index else jieba.cut(text)
    found = (_normalised(token) for token in cut)
    return [word for word in found if word]


def document(*parts: str) -> str:
    """The text an index row stores: the words of `parts`, separated by spaces."""
    return " ".join(word for part in parts for word in words(part or "", for_index=True))


# --- Queries


@dataclass(frozen=True)
class Terms:
    """A reader's query made safe: `text` is what they typed (trimmed, cut to
    QUERY_MAX_CHARS), `words` what is looked for. No words: nothing to search for."""

    text: str
    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def key(self) -> str:
        """The query's normal form: "Lipsticks  推荐" and "lipstick 推荐" are one query."""
        return " ".join(self.words)


def terms(text: str | None) -> Terms:
    """Any input (empty, punctuation, quotes, operators, SQL) gives Terms and never an error:
    words keep only letters and digits, so nothing the engines would read as syntax."""
    text = " ".join((text or "").split())[:QUERY_MAX_CHARS]
    found = list(dict.fromkeys(words(text)))[:QUERY_TERMS_MAX]
    return Terms(text=text, words=tuple(found))


# --- Engines


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _fts_table(model: type[Model]) -> str:
    return f"{model._meta.db_table}_fts"


def _pg_query(found: Terms, *, prefix: bool, any_word: bool) -> SearchQuery:
    parts = [f"'{word}'" for word in found.words]
    if prefix:
        parts[-1] += ":*"
    joined = (" | " if any_word else " & ").join(parts)
    return SearchQuery(joined, search_type="raw", config="simple")


def _fts_query(found: Terms, *, prefix: bool, any_word: bool) -> str:
    parts = [f'"{word}"' for word in found.words]
    if prefix:
        parts[-1] += "*"
    return (" OR " if any_word else " ").join(parts)


def index_save(model: type[Model], rows: Sequence[Model], *, fields: Sequence[str]) -> None:
    """Insert or replace index rows (their `fields` besides the primary key) and the engine's
    part: on PostgreSQL a trigger computes the tsvector in the same write, on SQLite the FTS5
    table is brought up to date."""
    if not rows:
        return
    pk = model._meta.pk.name
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=[pk], update_fields=list(fields)
    )
    if _is_postgresql():
        return  # the row's trigger wrote its tsvector with it (vector_trigger_migration)
    ids = [row.pk for row in rows]
    table, fts = model._meta.db_table, _fts_table(model)
    column = model._meta.pk.column
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{fts}" WHERE rowid IN ({marks})', ids)  # noqa: S608
        cursor.execute(
            f'INSERT INTO "{fts}" (rowid, primary_text, secondary_text) '  # noqa: S608
            f'SELECT "{column}", primary_text, secondary_text FROM "{table}" '
            f'WHERE "{column}" IN ({marks})',
            ids,
        )


def index_delete(model: type[Model], ids: Iterable[int]) -> None:
    """Take rows out of the index (gone, hidden, no longer published)."""
    ids = list(ids)
    if not ids:
        return
    model.objects.filter(pk__in=ids).delete()
    if not _is_postgresql():
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{_fts_table(model)}" WHERE rowid IN ({marks})', ids)  # noqa: S608


def index_prune(model: type[Model], *, keep: QuerySet) -> int:
    """After a rebuild: take out the rows whose object is not in `keep` (a queryset of the
    indexed model), and on SQLite any FTS5 row left without its index row. The index stays
    searchable throughout a rebuild, which writes over rows rather than emptying the index
    first. Returns how many rows went."""
    gone = list(model.objects.exclude(pk__in=keep.values("pk")).values_list("pk", flat=True))
    for start in range(0, len(gone), 1000):
        index_delete(model, gone[start : start + 1000])
    if not _is_postgresql():
        table, column = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{_fts_table(model)}" '  # noqa: S608
                f'WHERE rowid NOT IN (SELECT "{column}" FROM "{table}")'
            )
    return len(gone)


def matching(
    queryset: QuerySet,
    *,
    index: type[Model],
    found: Terms,
    relation: str = "",
    prefix: bool = False,
    any_word: bool = False,
) -> QuerySet:
    """`queryset` narrowed to the rows whose index row has every word of `found`, annotated with
    `search_relevance` (> 0, higher is better). `relation` leads from the queryset's model to the
    index row ("search" from a note); empty when the queryset is the index itself. The index's
    primary key is the queryset model's primary key. `prefix`: the last word may be the start of
    a word (suggestions as the reader types). `any_word`: one word is enough.
    """
    if not found:
        return queryset.none().annotate(search_relevance=Value(0.0, output_field=FloatField()))
    if _is_postgresql():
        query = _pg_query(found, prefix=prefix, any_word=any_word)
        vector = f"{relation}__vector" if relation else "vector"
        # F(): the stored tsvector itself. Given a name, SearchRank would wrap it in
        # to_tsvector(vector::text) and parse every matching row's vector again (seconds for
        # a common word over 200,000 notes).
        return queryset.filter(**{vector: query}).annotate(
            search_relevance=SearchRank(F(vector), query, weights=[0.05, 0.1, 0.25, 1.0])
        )
    expression = _fts_query(found, prefix=prefix, any_word=any_word)
    fts = _fts_table(index)
    outer = f'"{queryset.model._meta.db_table}"."{queryset.model._meta.pk.column}"'
    # Table names come from the models; the reader's words are a parameter.
    rows = RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [expression])  # noqa: S608, S611
    relevance = RawSQL(  # noqa: S611
        f'SELECT -bm25("{fts}", {PRIMARY_WEIGHT}, 1.0) FROM "{fts}" '  # noqa: S608
        f'WHERE "{fts}" MATCH %s AND rowid = {outer}',
        [expression],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=rows).annotate(search_relevance=relevance)


def index_migration(model_label: str, table: str) -> migrations.RunPython:
    """The engine's part of an index, for the app's migration: a GIN index on `vector` on
    PostgreSQL, the FTS5 table on SQLite. `model_label` is only for the operation's name."""

    def forwards(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX "{table}_vector_gin" ON "{table}" USING gin (vector)'
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f'CREATE VIRTUAL TABLE "{table}_fts" USING fts5('
                "primary_text, secondary_text, tokenize = 'unicode61 remove_diacritics 2')"
            )

    def backwards(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_vector_gin"')
        elif vendor == "sqlite":
            schema_editor.execute(f'DROP TABLE IF EXISTS "{table}_fts"')

    forwards.__name__ = f"{model_label}_engine_create"
    return migrations.RunPython(forwards, backwards)


def vector_trigger_migration(model_label: str, table: str) -> migrations.RunPython:
    """On PostgreSQL, a trigger that computes `vector` from the texts as the row is written.

    Computed by a later UPDATE, every indexed row left a dead version of itself: a freshly
    built index was half dead rows (151 MB, 101 MB of them live), and ranking a common word
    reads most of the table. Computed by Django per row inside the INSERT, indexing took half
    as long again (each row's expression compiled in Python). The trigger does it in the same
    write for the cost of the tsvector alone. Nothing on SQLite (FTS5 keeps its own table).
    """
    function = f"{table}_vector_fill"

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f'CREATE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            "NEW.vector := setweight(to_tsvector('simple', coalesce(NEW.primary_text, '')), 'A')"
            " || setweight(to_tsvector('simple', coalesce(NEW.secondary_text, '')), 'B'); "
            "RETURN NEW; END $$"
        )
        schema_editor.execute(
            f'CREATE TRIGGER "{table}_vector" BEFORE INSERT OR UPDATE OF primary_text, '
            f'secondary_text ON "{table}" FOR EACH ROW EXECUTE FUNCTION "{function}"()'
        )

    def backwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_vector" ON "{table}"')
        schema_editor.execute(f'DROP FUNCTION IF EXISTS "{function}"()')

    forwards.__name__ = f"{model_label}_vector_trigger_create"
    return migrations.RunPython(forwards, backwards)
