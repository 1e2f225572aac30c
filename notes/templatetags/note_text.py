"""Turning what an author wrote into safe HTML: escape first, then add our own links."""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from taggit.models import Tag

from notes.services import HASHTAG_PATTERN, hashtags_in

register = template.Library()
LINE_BREAK = mark_safe("<br>")  # noqa: S308 - a constant of ours, no user text


def _hashtag_link(name: str, slugs: dict[str, str]) -> SafeString:
    slug = slugs.get(name) or slugify(name, allow_unicode=True)
    if not slug:
        return escape(f"#{name}")
    url = reverse("notes:tag", kwargs={"slug": slug})
    return format_html('<a class="note-hashtag" href="{}">#{}</a>', url, name)


def _line_html(line: str, slugs: dict[str, str]) -> SafeString:
    html = SafeString("")
    position = 0
    for match in HASHTAG_PATTERN.finditer(line):
        html += escape(line[position : match.start()])
        html += _hashtag_link(match.group(1), slugs)
        position = match.end()
    return html + escape(line[position:])


@register.filter
def hashtag_links(text: str, tags: Iterable[Tag] = ()) -> SafeString:
    """The text escaped, its #hashtags linked to their tag pages, its line breaks kept.

    `tags` (the note's tags) give the real slugs, which differ from a plain slugify when two
    tags clash. The result is built only from escape() and format_html() pieces, so the
    author's own markup can never come through.
    """
    slugs = {tag.name: tag.slug for tag in tags or ()}
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return format_html_join(LINE_BREAK, "{}", ((_line_html(line, slugs),) for line in lines))


@register.filter
def tags_not_in(tags: Iterable[Tag], text: str) -> list[Tag]:
    """The note's tags that its text does not already show as #hashtags (tags typed in the
    form's tag field): the note page adds only these after the text, so no tag shows twice."""
    written = set(hashtags_in(text or ""))
    return [tag for tag in tags or () if tag.name not in written]
