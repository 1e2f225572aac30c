"""Turning what an author wrote into safe HTML: escape first, then add our own links.

#hashtags link to their tag pages (note bodies); @mentions link to the profiles they name
(note bodies and comments), but only names the view resolved for the whole page in one query
(users.selectors.usernames_mentioned, passed in as `people`): an unknown name stays plain text
and no mention costs a query of its own.
"""

from collections.abc import Collection, Iterable
from re import Match

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from taggit.models import Tag

from notes.services import HASHTAG_PATTERN, hashtags_in
from users.models import User
from users.services.notifications import MENTION_PATTERN

register = template.Library()
LINE_BREAK = mark_safe("<br>")  # noqa: S308 - a constant of ours, no user text


def _hashtag_link(name: str, slugs: dict[str, str]) -> SafeString:
    slug = slugs.get(name.casefold()) or slugify(name, allow_unicode=True)
    if not slug:
        return escape(f"#{name}")
    url = reverse("notes:tag", kwargs={"slug": slug})
    return format_html('<a class="note-hashtag" href="{}">#{}</a>', url, name)


def _mention_link(name: str, people: Collection[str]) -> SafeString:
    if name not in people:
        return escape(f"@{name}")
    url = User(username=name).get_absolute_url()
    return format_html('<a class="note-mention" href="{}">@{}</a>', url, name)


def _links_in(line: str, *, hashtags: bool, people: Collection[str]) -> list[Match]:
    """The hashtags and mentions of a line in order; where two overlap, the first wins."""
    found = list(MENTION_PATTERN.finditer(line)) if people else []
    if hashtags:
        found += HASHTAG_PATTERN.finditer(line)
    found.sort(key=lambda match: match.start())
    kept, end = [], 0
    for match in found:
        if match.start() >= end:
            kept.append(match)
            end = match.end()
    return kept


def _line_html(
    line: str, slugs: dict[str, str], *, hashtags: bool = True, people: Collection[str] = ()
) -> SafeString:
    html = SafeString("")
    position = 0
    for match in _links_in(line, hashtags=hashtags, people=people):
        html += escape(line[position : match.start()])
        if match.re is HASHTAG_PATTERN:
            html += _hashtag_link(match.group(1), slugs)
        else:
            html += _mention_link(match.group(1), people)
        position = match.end()
    return html + escape(line[position:])


def _text_html(
    text: str, slugs: dict[str, str], *, hashtags: bool, people: Collection[str]
) -> SafeString:
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return format_html_join(
        LINE_BREAK,
        "{}",
        ((_line_html(line, slugs, hashtags=hashtags, people=people),) for line in lines),
    )


def _slugs_of(tags: Iterable[Tag] | None) -> dict[str, str]:
    """Each tag's slug by its name without case: #ootd in a text is the note's tag OOTD
    (settings.TAGGIT_CASE_INSENSITIVE)."""
    return {tag.name.casefold(): tag.slug for tag in tags or ()}


@register.filter
def hashtag_links(text: str, tags: Iterable[Tag] = ()) -> SafeString:
    """The text escaped, its #hashtags linked to their tag pages, its line breaks kept.

    `tags` (the note's tags) give the real slugs, which differ from a plain slugify when two
    tags clash. The result is built only from escape() and format_html() pieces, so the
    author's own markup can never come through.
    """
    slugs = _slugs_of(tags)
    return _text_html(text, slugs, hashtags=True, people=())


@register.simple_tag
def note_text(
    text: str, tags: Iterable[Tag] = (), people: Collection[str] = frozenset()
) -> SafeString:
    """A note's body: hashtag_links, and its @mentions of `people` linked to their profiles."""
    slugs = _slugs_of(tags)
    return _text_html(text, slugs, hashtags=True, people=people or ())


@register.simple_tag
def comment_text(text: str, people: Collection[str] = frozenset()) -> SafeString:
    """A comment: escaped, line breaks kept, its @mentions of `people` linked to profiles."""
    return _text_html(text, {}, hashtags=False, people=people or ())


@register.filter
def tags_not_in(tags: Iterable[Tag], text: str) -> list[Tag]:
    """The note's tags that its text does not already show as #hashtags (tags typed in the
    form's tag field): the note page adds only these after the text, so no tag shows twice."""
    written = {name.casefold() for name in hashtags_in(text or "")}
    return [tag for tag in tags or () if tag.name.casefold() not in written]
