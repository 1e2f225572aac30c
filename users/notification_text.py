"""What a message says, in the reader's language: one sentence per kind of notification, for
the messages page (the actor's name in bold) and the API (plain text), so the two never
differ."""

import html

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from users import levels
from users.models import Notification

Verb = Notification.Verb


def _by_others(verb: str, name: str, others: int) -> str | None:
    """A like or a save that others made too ("Li Hua and 3 others liked your note")."""
    values = {"name": name, "counter": others}
    if verb == Verb.NOTE_LIKED:
        return (
            ngettext(
                "<strong>%(name)s</strong> and %(counter)s other liked your note",
                "<strong>%(name)s</strong> and %(counter)s others liked your note",
                others,
            )
            % values
        )
    if verb == Verb.NOTE_BOOKMARKED:
        return (
            ngettext(
                "<strong>%(name)s</strong> and %(counter)s other saved your note",
                "<strong>%(name)s</strong> and %(counter)s others saved your note",
                others,
            )
            % values
        )
    return None


def _by_one(verb: str, name: str) -> str | None:
    sentences = {
        Verb.NOTE_LIKED: gettext("<strong>%(name)s</strong> liked your note"),
        Verb.NOTE_BOOKMARKED: gettext("<strong>%(name)s</strong> saved your note"),
        Verb.FOLLOWED: gettext("<strong>%(name)s</strong> started following you"),
        Verb.COMMENTED: gettext("<strong>%(name)s</strong> commented on your note"),
        Verb.REPLIED: gettext("<strong>%(name)s</strong> replied to your comment"),
        Verb.MENTIONED: gettext("<strong>%(name)s</strong> mentioned you"),
        Verb.SPONSOR_DECLINED: gettext(
            "<strong>%(name)s</strong> says it did not sponsor your note, so the label is off"
        ),
    }
    sentence = sentences.get(verb)
    return sentence % {"name": name} if sentence is not None else None


def _from_us(verb: str, target_text: str) -> str:
    if verb == Verb.LEVEL_UP:
        level = levels.level_named_by(target_text)
        if level is None:
            return ""
        return gettext("Level up: you are now <strong>Lv.%(number)s %(level_name)s</strong>") % {
            "number": level.number,
            "level_name": escape(level.name),
        }
    sentences = {
        Verb.NOTE_REMOVED: gettext("Our moderators removed your note"),
        Verb.NOTE_RESTORED: gettext("Your note is back on the site"),
        Verb.NOTE_APPROVED: gettext("Your note passed review and is on the site"),
        Verb.REPORT_UPHELD: gettext("Thank you: we took down what you reported"),
        Verb.REPORT_DISMISSED: gettext(
            "We looked at what you reported and found it within the rules, so it stays up"
        ),
        Verb.REVIEW_INVITE: gettext("Your order arrived. How was it? Write a review"),
    }
    return escape(sentences.get(verb, ""))


def notification_sentence(row: Notification) -> SafeString:
    """The message as HTML: the translators' sentence, the actor's name escaped, in bold."""
    actor = row.latest_actor
    name = escape(actor.name if actor is not None else gettext("Someone"))
    others = row.actors_count - 1
    text = (others > 0 and _by_others(row.verb, name, others)) or _by_one(row.verb, name)
    if text is None:
        text = _from_us(row.verb, row.target_text)
    return mark_safe(text)  # noqa: S308 - translators' sentences around escaped values only


def notification_plain_text(row: Notification) -> str:
    """The same sentence without markup, for the API."""
    return html.unescape(strip_tags(notification_sentence(row)))
