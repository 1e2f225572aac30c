"""Notes, their media, and the interactions that feed the community engagement score."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.screening import KINDS as SCREENING_KINDS
from core.screening import Finding
from notes.scoring import engagement_per_hundred

TITLE_MAX_LENGTH = 20
BODY_MAX_LENGTH = 1000
IMAGES_MAX = settings.NOTE_IMAGES_MAX
COMMENT_MAX_LENGTH = 500
TAG_MAX_LENGTH = 30
TAGS_MAX = 10
HASHTAG_PATTERN = re.compile(rf"#(\w{{1,{TAG_MAX_LENGTH}}})")
# A note changed later than this after publishing says "Edited" on its page.
EDITED_AFTER = timedelta(seconds=60)
BOARD_NAME_MAX_LENGTH = 30
BOARDS_MAX = 200  # enough for any collector; a cap so one account cannot fill the table
BOARD_DESCRIPTION_MAX_LENGTH = 200


def hashtags_in(text: str) -> list[str]:
    """#hashtags written in a body, in order, without repeats."""
    return list(dict.fromkeys(HASHTAG_PATTERN.findall(text)))


def note_media_upload_to(instance: models.Model, filename: str) -> str:
    # notes.services picks a random file name; its first two characters spread files over folders.
    return f"notes/{filename[:2]}/{filename}"


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        UNDER_REVIEW = "under_review", _("Under review")
        REMOVED = "removed", _("Removed")

    class MediaStatus(models.TextChoices):
        """Where the note's photos or video are in the pipeline (notes.services.media)."""

        READY = "ready", _("Ready")
        PROCESSING = "processing", _("Processing")
        FAILED = "failed", _("Failed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"), max_length=BODY_MAX_LENGTH, blank=True)
    tags = TaggableManager(_("tags"), blank=True, through="TaggedNote")
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    place_name = models.CharField(_("place"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    # Denormalised counters: changed with F() in the same transaction as their cause,
    # recomputed from the source rows by notes.services.note_counters_recount.
    likes_count = models.PositiveIntegerField(_("likes"), default=0)
    bookmarks_count = models.PositiveIntegerField(_("bookmarks"), default=0)
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    reposts_count = models.PositiveIntegerField(_("reposts"), default=0)
    follows_gained = models.PositiveIntegerField(_("follows gained"), default=0)
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    ces = models.PositiveIntegerField(_("community engagement score"), default=0)
    # How many mall products the note links: the card's 🛍 chip without a query per card.
    # Kept current by the mall through notes.services.note_products_count_set.
    products_count = models.PositiveSmallIntegerField(_("linked products"), default=0)
    # A note with new uploads is PROCESSING until its variants exist, and out of every feed
    # (notes.selectors.notes_published) until READY; FAILED says why in media_error.
    media_status = models.CharField(
        _("media status"), max_length=16, choices=MediaStatus, default=MediaStatus.READY
    )
    media_error = models.CharField(_("media error"), max_length=300, blank=True)
    # Why the note was held UNDER_REVIEW: what the screening found (core.screening), as
    # [{"kind": …, "text": …}]. Kept if moderators remove the note; emptied when it goes up
    # or back to drafts.
    review_reasons = models.JSONField(_("held for"), default=list, blank=True)
    # A paid partnership, disclosed by the author: the verified brand that sponsored the note
    # (notes.services.publishing checks it). Shown on the note; the brand sees how it does.
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_notes",
        verbose_name=_("sponsored by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notes_published_has_time",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="notes_place_coordinates_valid",
            ),
        ]
        # Every feed reads published notes only: partial indexes, walked in the feed's order
        # (a cursor's row comparison `(a, id) < (x, y)` is their index condition).
        indexes = [
            models.Index(
                fields=["author", "-published_at", "-id"],
                condition=Q(status="published"),
                name="notes_author_published_idx",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="notes_published_newest_idx",
            ),
            models.Index(
                fields=["-ces", "-id"],
                condition=Q(status="published"),
                name="notes_published_ces_idx",
            ),
            # Nearby reads every note in a box and ranks them: covering, so the box is read from
            # the index alone and only the page's rows are fetched (community.selectors). Only
            # notes readers may open (media ready too), or every row is visited to check that.
            models.Index(
                fields=["latitude", "longitude"],
                include=["ces", "author", "id"],
                condition=Q(status="published", media_status="ready", latitude__isnull=False),
                name="notes_published_place_idx",
            ),
            # A brand's partnerships, newest first (notes.selectors.brand_partnerships).
            models.Index(
                fields=["sponsor", "-published_at", "-id"],
                condition=Q(status="published", sponsor__isnull=False),
                name="notes_sponsored_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notes:detail", kwargs={"note_id": self.pk})

    # Nearby's notes carry their distance from the reader (an annotation); others have none.
    distance_km: float | None = None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def engagement_per_hundred(self) -> float | None:
        """CES per 100 readers the note was shown to (None before it was shown to anyone)."""
        return engagement_per_hundred(ces=self.ces, impressions=self.impressions)

    @property
    def review_findings(self) -> list[Finding]:
        """What held the note for review, for the author's banner and the moderators."""
        return [
            Finding(reason["kind"], reason["text"])
            for reason in self.review_reasons
            if reason.get("kind") in SCREENING_KINDS
        ]

    @property
    def is_media_ready(self) -> bool:
        return self.media_status == self.MediaStatus.READY

    @property
    def attached_video(self) -> "NoteVideo | None":
        """The video, or None: a card asks without the cost of a missing relation's exception."""
        try:
            return self.video
        except NoteVideo.DoesNotExist:
            return None

    @property
    def attached_video_id(self) -> int | None:
        video = self.attached_video
        return video.pk if video is not None else None

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_edited(self) -> bool:
        return self.published_at is not None and self.updated_at - self.published_at > EDITED_AFTER

    @property
    def chosen_tags(self) -> list[str]:
        """The tags the author typed in the tags field: the body's #hashtags are tags anyway."""
        in_body = {tag.casefold() for tag in hashtags_in(self.body)}  # #ootd is the tag OOTD
        return [tag.name for tag in self.tags.all() if tag.name.casefold() not in in_body]


class TaggedNote(TaggedItemBase):
    """A note's tag, in a table of its own with a real foreign key to the note.

    taggit's shared table keys notes by an integer `object_id`: joined to the note's bigint id
    it needs a cast, which keeps PostgreSQL from walking an index on the tag page.
    """

    content_object = models.ForeignKey(
        Note,
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name=_("note"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("note tag")
        verbose_name_plural = _("note tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="notes_tag_once")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="notes_tagged_tag_idx")]

    def __str__(self) -> str:
        return f"{self.content_object_id} #{self.tag_id}"


class NoteImage(models.Model):
    """One photo of a note; position 0 is the cover."""

    note = models.ForeignKey(
        Note,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("note"),
        db_index=False,
    )
    image = models.ImageField(
        _("image"), upload_to=note_media_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # core.images.Variants.files: the widths served by srcset, smallest first. Empty until the
    # pipeline ran; `image` is then the largest JPEG variant, the upload itself deleted.
    variants = models.JSONField(_("variants"), default=list, blank=True)
    placeholder_colour = models.CharField(_("placeholder colour"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("note image")
        verbose_name_plural = _("note images")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["note", "position"], name="notes_image_order_idx")]

    def __str__(self) -> str:
        return f"{self.note_id}#{self.position}"


class NoteVideo(models.Model):
    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, related_name="video", verbose_name=_("note")
    )
    file = models.FileField(_("video file"), upload_to=note_media_upload_to)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    duration_seconds = models.FloatField(_("duration (seconds)"))
    video_codec = models.CharField(_("video codec"), max_length=32, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=32, blank=True)
    # A frame at ~1 s through the image pipeline: the card's cover and the player's poster.
    poster = models.ImageField(_("poster"), upload_to=note_media_upload_to, blank=True)
    poster_variants = models.JSONField(_("poster variants"), default=list, blank=True)
    poster_colour = models.CharField(_("placeholder colour"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("note video")
        verbose_name_plural = _("note videos")

    def __str__(self) -> str:
        return f"{self.note_id} video"


class Like(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="likes", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="note_likes",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["note", "user"], name="notes_like_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="notes_like_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.note_id}"


class Board(models.Model):
    """A user's named collection of bookmarks (收藏专辑)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="boards",
        verbose_name=_("owner"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=BOARD_NAME_MAX_LENGTH)
    description = models.CharField(
        _("description"), max_length=BOARD_DESCRIPTION_MAX_LENGTH, blank=True
    )
    is_private = models.BooleanField(_("private"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="notes_board_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notes:board", kwargs={"board_id": self.pk})


class Bookmark(models.Model):
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="bookmarks", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="note_bookmarks",
        db_index=False,
    )
    board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookmarks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["note", "user"], name="notes_bookmark_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="notes_bookmark_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.note_id}"


class Repost(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reposts", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_reposts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repost")
        verbose_name_plural = _("reposts")
        constraints = [models.UniqueConstraint(fields=["note", "user"], name="notes_repost_once")]

    def __str__(self) -> str:
        return f"{self.user_id} ↻ {self.note_id}"


class FollowFromNote(models.Model):
    """A reader followed the author from this note: the `follows` term of CES."""

    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="follows_from", db_index=False
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow gained from a note")
        verbose_name_plural = _("follows gained from notes")
        constraints = [
            models.UniqueConstraint(fields=["note", "follower"], name="notes_follow_from_once")
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} followed from {self.note_id}"


class Comment(models.Model):
    """A comment, or a reply to one: replies go one level deep."""

    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="comments", verbose_name=_("note")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="note_comments",
        verbose_name=_("author"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
        db_index=False,
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    likes_count = models.PositiveIntegerField(_("likes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            # A note's threads newest first, a thread's replies oldest first: walked in order.
            models.Index(
                fields=["note", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="notes_comment_threads_idx",
            ),
            models.Index(fields=["parent", "created_at", "id"], name="notes_comment_replies_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class CommentLike(models.Model):
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="notes_comment_like_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ comment {self.comment_id}"


REPORT_DETAIL_MAX_LENGTH = 200


class Report(models.Model):
    """A reader's report (举报) of a note, or of a comment on it, for the moderators' queue.

    One open report per reader and thing reported. A comment's report names its note too. The
    note and comment are SET_NULL and the reported words copied into `excerpt`, so the record
    (and what staff decided) stays after what was reported is gone; its author deleting it
    closes the open reports as GONE (notes.services.reports_target_gone).
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ELSEWHERE = "elsewhere", _("Sends readers off the site")
        FAKE = "fake", _("Fake or misleading")
        ABUSE = "abuse", _("Abuse or harassment")
        VULGAR = "vulgar", _("Sexual or vulgar")
        ILLEGAL = "illegal", _("Illegal or dangerous")
        RIGHTS = "rights", _("Copies my work or uses my likeness")
        OTHER = "other", _("Something else")

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        COMMENT = "comment", _("comment")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Taken down")
        DISMISSED = "dismissed", _("Left up")
        GONE = "gone", _("Deleted before a decision")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reporter"),
    )
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("note"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("comment"),
    )
    kind = models.CharField(_("reported"), max_length=8, choices=Kind)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    detail = models.CharField(
        _("in the reader's words"), max_length=REPORT_DETAIL_MAX_LENGTH, blank=True
    )
    excerpt = models.CharField(_("what was reported"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.OPEN)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "note"],
                condition=Q(outcome="open", kind="note"),
                name="notes_report_one_open_per_note",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(outcome="open", kind="comment"),
                name="notes_report_one_open_per_comment",
            ),
        ]
        indexes = [
            # The queue: open reports, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(outcome="open"),
                name="notes_report_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.excerpt[:40]}"

    @staticmethod
    def of_same_thing(*, kind: object, note_id: object, comment_id: object) -> Q:
        """Reports of one thing: a note's own reports, or one comment's. Takes values (a
        moderator's decision closes them together) or OuterRefs (the queue counts them)."""
        return Q(kind=kind, note_id=note_id) & (Q(kind=Report.Kind.NOTE) | Q(comment_id=comment_id))


# --- Discovery: impressions, traffic pools, reader interests, Discover's candidate lists.


class NoteImpressionDay(models.Model):
    """How many readers were shown a note on one day: the lasting impression count.

    A reader counts once per note within the seen window (notes.services.discovery), so the sum
    over days is "shown to N readers". Note.impressions and the pools' budgets are rebuilt from it.
    """

    note = models.ForeignKey(
        Note,
        on_delete=models.CASCADE,
        related_name="impression_days",
        verbose_name=_("note"),
        db_index=False,
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("impressions"), default=0)

    class Meta:
        verbose_name = _("impressions of a day")
        verbose_name_plural = _("impressions by day")
        constraints = [
            models.UniqueConstraint(fields=["note", "day"], name="notes_impression_day_once")
        ]
        indexes = [models.Index(fields=["day"], name="notes_impression_day_idx")]

    def __str__(self) -> str:
        return f"{self.note_id} {self.day}: {self.count}"


class SeenNote(models.Model):
    """The database seen set (used when REDIS_URL is not set): which notes a reader was shown.

    `reader_key` is "u<user id>" or "a<anonymous id>" (the signed reader cookie). Rows older than
    the seen window are purged nightly, so the set stays bounded.
    """

    reader_key = models.CharField(_("reader"), max_length=40)
    # A plain id, not a foreign key: one write per page must not fail for a note deleted
    # meanwhile, and the row is gone within the window anyway.
    note_id = models.BigIntegerField(_("note"))
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("seen note")
        verbose_name_plural = _("seen notes")
        constraints = [
            models.UniqueConstraint(fields=["reader_key", "note_id"], name="notes_seen_once")
        ]
        indexes = [models.Index(fields=["reader_key", "seen_at"], name="notes_seen_reader_idx")]

    def __str__(self) -> str:
        return f"{self.reader_key} saw {self.note_id}"


class NoteTraffic(models.Model):
    """Where a published note stands in the stepped traffic pools.

    Budget used = impressions since it entered its pool; engagement rate = CES gained since then
    per impression. Only notes `offered` are Discover candidates; a note that used its budget
    without earning promotion `settles` (Follow, profile, tag and search still show it).
    """

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        SETTLED = "settled", _("Settled")
        HELD = "held", _("Held by staff")

    note = models.OneToOneField(
        Note,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="traffic",
        verbose_name=_("note"),
    )
    pool = models.PositiveSmallIntegerField(_("pool"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OFFERED)
    entered_at = models.DateTimeField(_("entered pool at"))
    impressions_at_entry = models.PositiveIntegerField(_("impressions at entry"), default=0)
    ces_at_entry = models.PositiveIntegerField(_("CES at entry"), default=0)

    class Meta:
        verbose_name = _("traffic pool of a note")
        verbose_name_plural = _("traffic pools of notes")
        indexes = [models.Index(fields=["state", "pool"], name="notes_traffic_state_idx")]

    def __str__(self) -> str:
        return f"{self.note_id} in pool {self.pool} ({self.state})"


class NotePoolEntry(models.Model):
    """A note's pool history: it entered pool `pool` at `entered_at`, and why."""

    class Reason(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PROMOTED = "promoted", _("Promoted by engagement")
        SETTLED = "settled", _("Budget used, not promoted")
        BOOSTED = "boosted", _("Boosted by staff")
        HELD = "held", _("Held by staff")
        RELEASED = "released", _("Released by staff")

    note = models.ForeignKey(
        Note,
        on_delete=models.CASCADE,
        related_name="pool_entries",
        verbose_name=_("note"),
        db_index=False,
    )
    pool = models.PositiveSmallIntegerField(_("pool"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    entered_at = models.DateTimeField(_("at"))
    impressions = models.PositiveIntegerField(_("impressions then"), default=0)
    ces = models.PositiveIntegerField(_("CES then"), default=0)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("pool history entry")
        verbose_name_plural = _("pool history")
        ordering = ["entered_at", "id"]
        indexes = [models.Index(fields=["note", "entered_at"], name="notes_pool_entry_note_idx")]

    def __str__(self) -> str:
        return f"{self.note_id} → pool {self.pool} ({self.reason})"


class DiscoverCandidate(models.Model):
    """Discover's precomputed candidate lists, rebuilt every few minutes by a task.

    One row per (list, note): a list is a tag's slug (the offered notes carrying it), EXPLORE
    (fresh notes in low pools), GENERAL (the best offered notes) or MORE (the best settled
    notes, the long tail). `score` is the part of the ranking that does not depend on the
    reader: quality × freshness × author weight.
    """

    EXPLORE = "~explore"
    GENERAL = "~general"
    MORE = "~more"

    list_key = models.CharField(_("list"), max_length=TAG_MAX_LENGTH + 20)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    author_id = models.BigIntegerField(_("author"))
    pool = models.PositiveSmallIntegerField(_("pool"))
    score = models.FloatField(_("score"))
    topic = models.CharField(_("topic"), max_length=TAG_MAX_LENGTH + 20, blank=True)
    tags = models.JSONField(_("tags"), default=list)

    class Meta:
        verbose_name = _("Discover candidate")
        verbose_name_plural = _("Discover candidates")
        constraints = [
            models.UniqueConstraint(fields=["list_key", "note"], name="notes_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.list_key}: {self.note_id}"


class ReaderInterest(models.Model):
    """A reader's interests, compactly: tag slug → weight as of `updated_at`.

    Weights decay with a half-life (settings.READER_INTEREST_HALF_LIFE_DAYS); the interests task
    folds new likes, bookmarks, comments and long reads in by batches. `hidden_note_ids` are the
    notes the reader said they are not interested in (bounded, newest last).
    """

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="interests",
        verbose_name=_("reader"),
    )
    weights = models.JSONField(_("tag weights"), default=dict, blank=True)
    hidden_note_ids = models.JSONField(_("not interested in"), default=list, blank=True)
    updated_at = models.DateTimeField(_("weights as of"))
    onboarded_at = models.DateTimeField(_("onboarding done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader interests")
        verbose_name_plural = _("reader interests")

    def __str__(self) -> str:
        return f"{self.reader_id} interests"


class NoteRead(models.Model):
    """A reader opened a note and stayed: a "long read", one of the signals of interest."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("long read")
        verbose_name_plural = _("long reads")
        constraints = [models.UniqueConstraint(fields=["reader", "note"], name="notes_read_once")]
        indexes = [models.Index(fields=["created_at"], name="notes_read_created_idx")]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.note_id}"


class DiscoveryCheckpoint(models.Model):
    """How far a batch job has read a stream of rows (e.g. likes, for reader interests): the
    last primary key folded in, so the next batch walks the primary-key index from there."""

    name = models.CharField(_("name"), max_length=60, primary_key=True)
    last_id = models.PositiveBigIntegerField(_("last id read"), default=0)

    class Meta:
        verbose_name = _("discovery checkpoint")
        verbose_name_plural = _("discovery checkpoints")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"


class CesRun(models.Model):
    """One run of the CES recalculation (notes.services.recalculation), nightly or by command:
    what it changed, so staff can see drift without reading logs. `finished_at` is empty while
    it runs (or if it died)."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly task")
        COMMAND = "command", _("Command (by hand)")

    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    notes_changed = models.PositiveIntegerField(_("notes corrected"), default=0)
    accounts_changed = models.PositiveIntegerField(_("accounts corrected"), default=0)
    largest_drift = models.PositiveIntegerField(_("largest CES drift"), default=0)
    largest_drift_note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note with the largest drift"),
    )
    impressions_changed = models.PositiveIntegerField(_("notes' impressions rebuilt"), default=0)
    promoted = models.PositiveIntegerField(_("promoted to a higher pool"), default=0)
    settled = models.PositiveIntegerField(_("settled in their pool"), default=0)

    class Meta:
        verbose_name = _("CES recalculation")
        verbose_name_plural = _("CES recalculations")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["started_at"], name="notes_ces_run_started_idx")]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.started_at:%Y-%m-%d %H:%M}"


# --- The hot list (热榜): trending topics and notes.


class HotTopicRule(models.Model):
    """Staff pin a topic to the top of the hot list, or ban it from it."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pin to the top")
        BAN = "ban", _("Ban from the hot list")

    tag = models.OneToOneField(
        "taggit.Tag", on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("hot list rule")
        verbose_name_plural = _("hot list rules")
        ordering = ["action", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.tag}"


class HotListEntry(models.Model):
    """One place on the hot list as last computed: a topic or a note, its rank and the rank it
    had in the run before (None: new on the list), for the movement arrows."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        NOTE = "note", _("Note")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    rank = models.PositiveSmallIntegerField(_("rank"))
    previous_rank = models.PositiveSmallIntegerField(_("previous rank"), null=True, blank=True)
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("spike"))
    is_pinned = models.BooleanField(_("pinned"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("hot list entry")
        verbose_name_plural = _("hot list")
        ordering = ["kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "rank"], name="notes_hot_rank_once"),
            models.CheckConstraint(
                condition=(Q(kind="topic") & Q(tag__isnull=False) & Q(note__isnull=True))
                | (Q(kind="note") & Q(note__isnull=False) & Q(tag__isnull=True)),
                name="notes_hot_entry_is_topic_or_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.rank}"

    @property
    def movement(self) -> str:
        """ "new", "up", "down" or "same": the arrow beside the rank."""
        if self.previous_rank is None:
            return "new"
        if self.rank < self.previous_rank:
            return "up"
        return "down" if self.rank > self.previous_rank else "same"


# --- Search (core.search): the notes' and topics' index rows, the staff dictionary, the log.

SEARCH_QUERY_MAX_LENGTH = 100  # core.search.QUERY_MAX_CHARS
SEARCH_WORD_MAX_LENGTH = 40  # core.search.TOKEN_MAX_CHARS


class NoteSearch(models.Model):
    """A published note's words (core.search), kept by the notes services: a note that is not
    published has no row, so search can never show a draft, a removed note or one under review.

    Search ranks these rows alone, without the notes (notes.search): `boost` is the part of the
    note's rank known when it is indexed (notes.services.search.note_boost), its author's weight
    and its freshness; `quality` is ln(notes.scoring.note_quality), set when it is indexed and
    kept up with the note's impressions and CES by the discovery passes. Both are logarithms.
    `likes_count` is the note's, kept up the same way, for the "most liked" order.
    """

    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    primary_text = models.TextField(_("title and tags, cut into words"), blank=True)
    secondary_text = models.TextField(_("text and place, cut into words"), blank=True)
    vector = SearchVectorField(null=True, editable=False)
    boost = models.FloatField(_("boost"), default=0.0)
    quality = models.FloatField(_("quality"), default=0.0)
    likes_count = models.PositiveIntegerField(_("likes"), default=0)

    class Meta:
        verbose_name = _("note search row")
        verbose_name_plural = _("note search rows")

    def __str__(self) -> str:
        return str(self.note_id)


class TopicSearch(models.Model):
    """A topic (tag) with published notes, by its words; `notes_count` ranks topics."""

    tag = models.OneToOneField(
        "taggit.Tag", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    primary_text = models.TextField(_("name, cut into words"), blank=True)
    secondary_text = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    notes_count = models.PositiveIntegerField(_("published notes"), default=0)

    class Meta:
        verbose_name = _("topic search row")
        verbose_name_plural = _("topic search rows")

    def __str__(self) -> str:
        return str(self.tag_id)


class SearchWord(models.Model):
    """A word of the staff dictionary (brands, products, slang): search cuts text so that it
    stays whole ("完美日记" is not "完美" + "日记")."""

    word = models.CharField(
        _("word"),
        max_length=SEARCH_WORD_MAX_LENGTH,
        unique=True,
        validators=[
            RegexValidator(r"^\S+$", message=_("A dictionary word is one word, without spaces."))
        ],
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("search dictionary word")
        verbose_name_plural = _("search dictionary")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SearchRecord(models.Model):
    """One search: the reader's history (until they clear it: the row then loses its reader)
    and what the hot searches count."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reader"),
        db_index=False,
    )
    query = models.CharField(_("query"), max_length=SEARCH_QUERY_MAX_LENGTH)
    text = models.CharField(_("as typed"), max_length=SEARCH_QUERY_MAX_LENGTH)
    created_at = models.DateTimeField(_("searched at"), db_index=True)
    # notes.readers.searcher_of; kept when the reader clears their history: the hot searches
    # count people, not searches.
    searcher = models.CharField(
        _("searcher"),
        max_length=40,
        help_text=_("Who searched: an account, or a hashed address."),
    )

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("search history")
        indexes = [
            models.Index(fields=["reader", "-created_at", "-id"], name="notes_search_reader_idx")
        ]

    def __str__(self) -> str:
        return self.query


class HotQuery(models.Model):
    """A place on the hot searches: a query searched far more in the last hours than usual."""

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    query = models.CharField(_("query"), max_length=SEARCH_QUERY_MAX_LENGTH)
    text = models.CharField(_("as typed"), max_length=SEARCH_QUERY_MAX_LENGTH)
    searches = models.PositiveIntegerField(_("people searching"), default=0)
    score = models.FloatField(_("spike"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("hot search")
        verbose_name_plural = _("hot searches")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.query}"
