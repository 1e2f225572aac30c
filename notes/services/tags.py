"""Tag counts for the tag page, computed for every tag at once off the request path."""

from django.core.cache import cache

from notes.selectors import TAG_COUNT_SECONDS, tag_count_key, tag_counts


def tag_counts_refresh() -> int:
    """Put every tag's count of published notes in the cache (one GROUP BY, one cache write),
    so the tag page reads its count instead of counting a hot tag's rows; returns how many
    tags have notes. A tag whose last note went keeps its old count until it expires
    (TAG_COUNT_SECONDS), as a count cached by the page would."""
    counts = tag_counts()
    cache.set_many(
        {tag_count_key(tag_id): count for tag_id, count in counts.items()}, TAG_COUNT_SECONDS
    )
    return len(counts)
