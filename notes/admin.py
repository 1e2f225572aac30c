"""Staff screens for notes and their interactions; moderation and repairs call notes.services.

Rows that move a counter (likes, bookmarks, comments…) are read-only here: a change made
behind the services' back would make the counters and CES drift.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyAdmin, ReadOnlyInline, apply_one_by_one
from notes import services
from notes.forms import TagsField
from notes.models import (
    Board,
    Bookmark,
    CesRun,
    Comment,
    CommentLike,
    FollowFromNote,
    HotListEntry,
    HotQuery,
    HotTopicRule,
    Like,
    Note,
    NoteImage,
    NotePoolEntry,
    NoteTraffic,
    NoteVideo,
    ReaderInterest,
    Report,
    Repost,
    SearchRecord,
    SearchWord,
)
from notes.services.pools import pool_budget, pool_count

NOTE_COUNTERS = (
    "likes_count",
    "bookmarks_count",
    "comments_count",
    "reposts_count",
    "follows_gained",
    "impressions",
    "ces",
)
THUMBNAIL_WIDTH = 96


def image_preview(picture: NoteImage | None, *, width: int = THUMBNAIL_WIDTH) -> str:
    """An <img> at the photo's own aspect ratio; the URL is escaped by format_html."""
    if picture is None or not picture.image or not picture.width:
        return "—"
    height = round(width * picture.height / picture.width)
    return format_html(
        '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
        picture.image.url,
        picture.image.url,
        width,
        height,
        _("Photo %(position)s") % {"position": picture.position + 1},
    )


class NoteImageInline(ReadOnlyInline, admin.TabularInline):
    model = NoteImage
    fields = ("preview", "position", "width", "height", "image")
    readonly_fields = ("preview", "width", "height", "image")
    ordering = ("position", "id")
    extra = 0

    @admin.display(description=gettext_lazy("Preview"))
    def preview(self, picture: NoteImage) -> str:
        return image_preview(picture)


class NoteVideoInline(ReadOnlyInline, admin.StackedInline):
    model = NoteVideo
    fields = ("file", "width", "height", "duration_seconds")
    readonly_fields = fields
    extra = 0


class NotePoolEntryInline(ReadOnlyInline, admin.TabularInline):
    """The note's way through the traffic pools: entered pool k at t, and why."""

    model = NotePoolEntry
    fields = ("entered_at", "pool_number", "reason", "impressions", "ces", "staff")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = gettext_lazy("Traffic pool history")

    @admin.display(description=gettext_lazy("Pool"))
    def pool_number(self, entry: NotePoolEntry) -> int:
        return entry.pool + 1


def traffic_summary(traffic: NoteTraffic | None, *, impressions: int, ces: int) -> str:
    """One line for staff on both screens: pool, state, readers reached of the budget, rate."""
    if traffic is None:
        return _("No pool yet (it gets one at the next discovery refresh).")
    used = max(impressions - traffic.impressions_at_entry, 0)
    gained = ces - traffic.ces_at_entry
    rate = gained / used if used else 0.0
    return _(
        "Pool %(pool)d of %(pools)d · %(state)s · %(used)d / %(budget)d readers · "
        "%(gained)d CES gained, %(rate).2f per reader"
    ) % {
        "pool": traffic.pool + 1,
        "pools": pool_count(),
        "state": traffic.get_state_display(),
        "used": used,
        "budget": pool_budget(min(traffic.pool, pool_count() - 1)),
        "gained": gained,
        "rate": rate,
    }


class TrafficActions:
    """Boost, hold and release, on notes and on their pools: each row through notes.services."""

    def _traffic(self, request: HttpRequest, note_ids: list[int], *, verb, done: str) -> None:
        changed = apply_one_by_one(
            self,
            request,
            Note.objects.filter(pk__in=note_ids).only("pk", "title"),
            act=lambda note: verb(actor=request.user, note_id=note.pk),
            label=lambda note: note.title,
        )
        if changed:
            self.message_user(request, done(changed) % {"count": changed}, messages.SUCCESS)

    def _note_ids(self, queryset: QuerySet) -> list[int]:
        field = "note_id" if queryset.model is NoteTraffic else "pk"
        return list(queryset.values_list(field, flat=True))

    @admin.action(
        description=gettext_lazy("Boost: move up one traffic pool"), permissions=("change",)
    )
    def boost_traffic(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._traffic(
            request,
            self._note_ids(queryset),
            verb=services.note_traffic_boost,
            done=lambda n: ngettext("%(count)d note boosted.", "%(count)d notes boosted.", n),
        )

    @admin.action(description=gettext_lazy("Hold: stop recommending"), permissions=("change",))
    def hold_traffic(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._traffic(
            request,
            self._note_ids(queryset),
            verb=services.note_traffic_hold,
            done=lambda n: ngettext(
                "%(count)d note held from Discover.", "%(count)d notes held from Discover.", n
            ),
        )

    @admin.action(
        description=gettext_lazy("Release: recommend again with a fresh budget"),
        permissions=("change",),
    )
    def release_traffic(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._traffic(
            request,
            self._note_ids(queryset),
            verb=services.note_traffic_release,
            done=lambda n: ngettext(
                "%(count)d note offered again.", "%(count)d notes offered again.", n
            ),
        )


class NoteAdminForm(forms.ModelForm):
    """Text, tags and place, checked by the rules of notes.services before NoteAdmin saves."""

    tags = TagsField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separated by commas or spaces. #hashtags in the text count too."),
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )

    class Meta:
        model = Note
        fields = ("title", "body", "tags", "place_name", "latitude", "longitude")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.initial["tags"] = self.instance.chosen_tags

    def changes(self) -> services.NoteChanges:
        return services.NoteChanges.from_data(self.cleaned_data)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            services.note_text_check(self.changes().applied_to(self.instance))
        return cleaned


@admin.register(Note)
class NoteAdmin(TrafficActions, admin.ModelAdmin):
    """Text, tags and place are changed through notes.services; status only by moderation."""

    list_display = (
        "cover",
        "title",
        "author",
        "state",
        "published",
        "likes_count",
        "bookmarks_count",
        "comments_count",
        "score",
        "pool",
        "media_status",
    )
    list_display_links = ("cover", "title")
    list_filter = ("status", "media_status", ("published_at", admin.DateFieldListFilter))
    search_fields = ("title", "body", "author__username")
    date_hierarchy = "published_at"
    list_select_related = ("author", "traffic")
    list_per_page = 50
    ordering = ("-published_at", "-id")
    readonly_fields = (
        "author",
        "status",
        "held_for",
        "published_at",
        "created_at",
        "updated_at",
        *NOTE_COUNTERS,
        "traffic_pool",
        "media_status",
        "media_error",
    )
    fieldsets = (
        (None, {"fields": ("author", "status", "held_for", "title", "body", "tags")}),
        (gettext_lazy("Media"), {"fields": ("media_status", "media_error")}),
        (gettext_lazy("Place"), {"fields": ("place_name", "latitude", "longitude")}),
        (gettext_lazy("Counters"), {"fields": NOTE_COUNTERS}),
        (gettext_lazy("Traffic pool"), {"fields": ("traffic_pool",)}),
        (gettext_lazy("Dates"), {"fields": ("published_at", "created_at", "updated_at")}),
    )
    inlines = (NoteImageInline, NoteVideoInline, NotePoolEntryInline)
    form = NoteAdminForm
    actions = (
        "remove_notes",
        "restore_notes",
        "retry_media",
        "recount_counters",
        "boost_traffic",
        "hold_traffic",
        "release_traffic",
    )

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "place_name":
            field.widget.attrs["class"] = "vLargeTextField"
        return field

    def save_model(
        self, request: HttpRequest, note: Note, form: NoteAdminForm, change: bool
    ) -> None:
        services.note_update_by_staff(actor=request.user, note_id=note.pk, changes=form.changes())

    def save_related(
        self, request: HttpRequest, form: NoteAdminForm, formsets, change: bool
    ) -> None:
        """Not form.save_m2m(): the service saved the tags with the text."""
        for formset in formsets:  # read-only inlines: nothing to save, but the admin asks
            self.save_formset(request, form, formset, change=change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Note]:
        covers = Prefetch(
            "images", queryset=NoteImage.objects.filter(position=0), to_attr="cover_images"
        )
        return super().get_queryset(request).prefetch_related(covers)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Notes are written by their authors, with media checked by notes.services."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Note | None = None) -> bool:
        """Staff remove notes (reversible); deleting is the author's own verb."""
        return False

    @admin.display(description=gettext_lazy("Cover"))
    def cover(self, note: Note) -> str:
        covers = getattr(note, "cover_images", None)
        return image_preview(covers[0] if covers else None, width=48)

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def state(self, note: Note) -> str:
        """The status; for a held note, what held it, so the queue reads at a glance."""
        kinds = dict.fromkeys(finding.label for finding in note.review_findings)
        if note.status != Note.Status.UNDER_REVIEW or not kinds:
            return note.get_status_display()
        return f"{note.get_status_display()}: {', '.join(kinds)}"

    @admin.display(description=gettext_lazy("Held for"))
    def held_for(self, note: Note) -> str:
        """What the screening found (core.screening), as the author wrote it."""
        return "; ".join(f"{f.label}: {f.text}" for f in note.review_findings) or "—"

    @admin.display(description=gettext_lazy("Published"), ordering="published_at")
    def published(self, note: Note) -> str:
        if note.published_at is None:
            return "—"
        return date_format(timezone.localtime(note.published_at), "Y-m-d H:i")

    @admin.display(description=gettext_lazy("CES"), ordering="ces")
    def score(self, note: Note) -> int:
        return note.ces

    @admin.display(description=gettext_lazy("Pool"), ordering="traffic__pool")
    def pool(self, note: Note) -> str:
        traffic = getattr(note, "traffic", None)
        if traffic is None:
            return "—"
        return f"{traffic.pool + 1} · {traffic.get_state_display()}"

    @admin.display(description=gettext_lazy("Traffic pool"))
    def traffic_pool(self, note: Note) -> str:
        traffic = NoteTraffic.objects.filter(note=note).first()
        return traffic_summary(traffic, impressions=note.impressions, ces=note.ces)

    @admin.action(description=gettext_lazy("Remove note"), permissions=("change",))
    def remove_notes(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        self._moderate(request, queryset, verb=services.note_remove)

    @admin.action(
        description=gettext_lazy("Restore note, or pass one under review"), permissions=("change",)
    )
    def restore_notes(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        held = (Note.Status.REMOVED, Note.Status.UNDER_REVIEW)
        skipped = queryset.exclude(status__in=held)
        for note in skipped:
            self.message_user(
                request,
                _("“%(title)s” is not removed or under review; left as it is.")
                % {"title": note.title},
                messages.WARNING,
            )
        self._moderate(request, queryset.filter(status__in=held), verb=services.note_restore)

    @admin.action(description=gettext_lazy("Process media again"), permissions=("change",))
    def retry_media(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        """After a failure (or a worker lost): the pipeline runs again for these notes."""
        self._moderate(request, queryset, verb=services.note_media_retry)

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Note], *, verb) -> None:
        changed = apply_one_by_one(
            self,
            request,
            queryset.select_related(None).only("pk", "title"),
            act=lambda note: verb(actor=request.user, note_id=note.pk),
            label=lambda note: note.title,
        )
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d note updated.", "%(count)d notes updated.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Recount counters"), permissions=("change",))
    def recount_counters(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        corrected = services.note_counters_recount(
            note_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "Counters recounted: %(count)d note had drifted and was corrected.",
                "Counters recounted: %(count)d notes had drifted and were corrected.",
                corrected,
            )
            % {"count": corrected},
            messages.SUCCESS,
        )


@admin.register(NoteImage)
class NoteImageAdmin(ReadOnlyAdmin):
    list_display = ("preview", "note", "position", "width", "height")
    list_display_links = ("preview",)
    list_select_related = ("note",)
    search_fields = ("note__title", "=note__id")
    raw_id_fields = ("note",)
    ordering = ("-id",)

    @admin.display(description=gettext_lazy("Preview"))
    def preview(self, picture: NoteImage) -> str:
        return image_preview(picture, width=64)


@admin.register(NoteVideo)
class NoteVideoAdmin(ReadOnlyAdmin):
    list_display = ("note", "width", "height", "duration_seconds")
    list_select_related = ("note",)
    search_fields = ("note__title", "=note__id")
    raw_id_fields = ("note",)
    ordering = ("-id",)


class InteractionAdmin(ReadOnlyAdmin):
    """Who did what to which note, newest first."""

    list_display = ("user", "note", "created_at")
    list_select_related = ("user", "note")
    search_fields = ("user__username", "note__title")
    list_filter = (("created_at", admin.DateFieldListFilter),)
    raw_id_fields = ("user", "note")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False


@admin.register(Like)
class LikeAdmin(InteractionAdmin):
    pass


@admin.register(Repost)
class RepostAdmin(InteractionAdmin):
    pass


@admin.register(Bookmark)
class BookmarkAdmin(InteractionAdmin):
    list_display = ("user", "note", "board", "created_at")
    list_select_related = ("user", "note", "board")
    list_filter = (("created_at", admin.DateFieldListFilter), "board__is_private")
    raw_id_fields = ("user", "note", "board")


@admin.register(FollowFromNote)
class FollowFromNoteAdmin(InteractionAdmin):
    list_display = ("follower", "note", "created_at")
    list_select_related = ("follower", "note")
    search_fields = ("follower__username", "note__title")
    raw_id_fields = ("follower", "note")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("excerpt", "author", "note", "is_reply", "likes_count", "created_at")
    list_select_related = ("author", "note")
    search_fields = ("body", "author__username", "note__title")
    list_filter = (
        ("created_at", admin.DateFieldListFilter),
        ("parent", admin.EmptyFieldListFilter),
    )
    raw_id_fields = ("note", "author", "parent")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False

    actions = ("delete_comments",)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        """Rows stay read-only; deleting goes through the service so counters follow."""
        return request.user.has_perm("notes.delete_comment")

    @admin.action(
        description=gettext_lazy("Delete comments and their replies"), permissions=("moderate",)
    )
    def delete_comments(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        # Replies go with their thread: deleting a parent first makes its replies vanish.
        removed = 0
        for comment_id in queryset.order_by("parent_id", "pk").values_list("pk", flat=True):
            if Comment.objects.filter(pk=comment_id).exists():
                removed += services.comment_delete(actor=request.user, comment_id=comment_id)
        self.message_user(
            request,
            ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", removed)
            % {"count": removed},
            messages.SUCCESS,
        )

    @admin.display(description=gettext_lazy("comment"))
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(60)

    @admin.display(description=gettext_lazy("reply"), boolean=True)
    def is_reply(self, comment: Comment) -> bool:
        return comment.parent_id is not None


class OpenFirst(admin.SimpleListFilter):
    """The queue by default: open reports; the decided ones a click away."""

    title = gettext_lazy("outcome")
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*Report.Outcome.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or Report.Outcome.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> QuerySet[Report]:
        value = self.value() or Report.Outcome.OPEN
        return queryset if value == "all" else queryset.filter(outcome=value)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """The moderators' queue of readers' reports, oldest first. Deciding goes through
    notes.services (report_uphold, report_dismiss): every open report of the same thing is
    closed with it, what was reported is taken down or left up, and each reporter is told."""

    list_display = (
        "created_at",
        "kind",
        "reason",
        "reported",
        "reports_of_it",
        "detail",
        "reporter",
        "outcome",
    )
    list_select_related = ("reporter", "note", "comment")
    list_filter = (OpenFirst, "kind", "reason")
    search_fields = ("excerpt", "detail", "reporter__username")
    raw_id_fields = ("reporter", "note", "comment", "handled_by")
    ordering = ("created_at", "id")
    list_per_page = 50
    actions = ("take_down", "leave_up")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        """Each row with how many open reports its note or comment has (a sortable column)."""
        same = Report.objects.filter(
            Report.of_same_thing(
                kind=OuterRef("kind"),
                note_id=OuterRef("note_id"),
                comment_id=OuterRef("comment_id"),
            ),
            outcome=Report.Outcome.OPEN,
        )
        counted = same.order_by().values("kind").annotate(n=Count("pk")).values("n")[:1]
        return super().get_queryset(request).annotate(open_count=Coalesce(Subquery(counted), 0))

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notes.change_report")

    @admin.display(description=gettext_lazy("what was reported"))
    def reported(self, report: Report) -> str:
        target = report.comment if report.kind == Report.Kind.COMMENT else report.note
        excerpt = Truncator(report.excerpt).chars(60)
        if target is None:
            return format_html("{} <em>({})</em>", excerpt, _("gone"))
        url = report.note.get_absolute_url() if report.note_id else ""
        if report.kind == Report.Kind.COMMENT:
            url += f"?comment={report.comment_id}#comment-{report.comment_id}"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, excerpt)

    @admin.display(description=gettext_lazy("open reports of it"), ordering="open_count")
    def reports_of_it(self, report: Report) -> int:
        return report.open_count

    @admin.action(
        description=gettext_lazy("Take down what was reported"), permissions=("moderate",)
    )
    def take_down(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._decide(request, queryset, verb=services.report_uphold)

    @admin.action(
        description=gettext_lazy("Leave it up (dismiss the reports)"), permissions=("moderate",)
    )
    def leave_up(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._decide(request, queryset, verb=services.report_dismiss)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Report], *, verb) -> None:
        decided = apply_one_by_one(
            self,
            request,
            queryset.filter(outcome=Report.Outcome.OPEN)
            .select_related(None)
            .order_by("pk")
            .only("pk", "excerpt"),
            act=lambda report: verb(actor=request.user, report_id=report.pk),
            label=lambda report: Truncator(report.excerpt).chars(40),
        )
        if decided:
            self.message_user(
                request,
                ngettext("%(count)d report decided.", "%(count)d reports decided.", decided)
                % {"count": decided},
                messages.SUCCESS,
            )


@admin.register(CommentLike)
class CommentLikeAdmin(ReadOnlyAdmin):
    list_display = ("user", "comment", "created_at")
    list_select_related = ("user", "comment")
    search_fields = ("user__username", "comment__body")
    raw_id_fields = ("user", "comment")
    ordering = ("-created_at", "-id")
    show_full_result_count = False


class BoardAdminForm(forms.ModelForm):
    """Checked by the rules of notes.services before BoardAdmin saves through it."""

    class Meta:
        model = Board
        fields = ("name", "description", "is_private")

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            services.board_fields_clean(
                owner=self.instance.owner,
                name=cleaned["name"],
                description=cleaned["description"],
                board_id=self.instance.pk,
            )
        return cleaned


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """Staff may tidy a board's name, description or privacy; boards belong to their owners."""

    form = BoardAdminForm
    list_display = ("name", "owner", "is_private", "created_at")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username")
    list_filter = ("is_private", ("created_at", admin.DateFieldListFilter))
    fields = ("owner", "name", "description", "is_private", "created_at")
    readonly_fields = ("owner", "created_at")
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, board: Board, form: BoardAdminForm, change: bool
    ) -> None:
        services.board_update_by_staff(
            actor=request.user,
            board_id=board.pk,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            is_private=form.cleaned_data["is_private"],
        )


@admin.register(NoteTraffic)
class NoteTrafficAdmin(TrafficActions, admin.ModelAdmin):
    """Every note's place in the traffic pools; boost, hold and release go through services."""

    list_display = ("note", "pool_number", "state", "budget_used", "entered_at")
    list_select_related = ("note",)
    list_filter = ("state", "pool")
    search_fields = ("note__title", "=note__id")
    ordering = ("-entered_at", "-pk")
    fields = ("note", "pool_number", "state", "summary", "entered_at", "history")
    readonly_fields = fields
    actions = ("boost_traffic", "hold_traffic", "release_traffic")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: NoteTraffic | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Pool"), ordering="pool")
    def pool_number(self, traffic: NoteTraffic) -> int:
        return traffic.pool + 1

    @admin.display(description=gettext_lazy("Readers reached in the pool"))
    def budget_used(self, traffic: NoteTraffic) -> str:
        used = max(traffic.note.impressions - traffic.impressions_at_entry, 0)
        return f"{used} / {pool_budget(min(traffic.pool, pool_count() - 1))}"

    @admin.display(description=gettext_lazy("Now"))
    def summary(self, traffic: NoteTraffic) -> str:
        return traffic_summary(traffic, impressions=traffic.note.impressions, ces=traffic.note.ces)

    @admin.display(description=gettext_lazy("History"))
    def history(self, traffic: NoteTraffic) -> str:
        entries = NotePoolEntry.objects.filter(note_id=traffic.note_id).select_related("staff")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        date_format(timezone.localtime(entry.entered_at), "Y-m-d H:i"),
                        _("pool %(pool)d") % {"pool": entry.pool + 1},
                        entry.get_reason_display(),
                        f" ({entry.staff})" if entry.staff else "",
                    )
                    for entry in entries
                ),
            ),
        )


@admin.register(ReaderInterest)
class ReaderInterestAdmin(ReadOnlyAdmin):
    """What Discover has learned a reader likes (tag weights as of their date)."""

    list_display = ("reader", "strongest", "updated_at", "onboarded_at")
    list_select_related = ("reader",)
    search_fields = ("reader__username",)
    ordering = ("-updated_at",)
    show_full_result_count = False

    @admin.display(description=gettext_lazy("Strongest interests"))
    def strongest(self, interest: ReaderInterest) -> str:
        ranked = sorted(interest.weights.items(), key=lambda item: -item[1])[:5]
        return ", ".join(f"{tag} {weight:.1f}" for tag, weight in ranked) or "—"


@admin.register(CesRun)
class CesRunAdmin(ReadOnlyAdmin):
    """The CES recalculations, nightly or by `manage.py recalculate_ces`: when, how long, what
    they put right. Written only by notes.services.recalculation."""

    list_display = (
        "started_at",
        "trigger",
        "duration",
        "notes_changed",
        "largest_drift",
        "largest_drift_note",
        "accounts_changed",
        "impressions_changed",
        "promoted",
        "settled",
    )
    list_filter = ("trigger",)
    list_select_related = ("largest_drift_note",)
    date_hierarchy = "started_at"
    ordering = ("-started_at",)
    show_full_result_count = False

    @admin.display(description=gettext_lazy("Duration"))
    def duration(self, run: CesRun) -> str:
        if run.finished_at is None:
            return _("unfinished")
        return _("%(seconds).1f s") % {
            "seconds": (run.finished_at - run.started_at).total_seconds()
        }


@admin.register(HotTopicRule)
class HotTopicRuleAdmin(admin.ModelAdmin):
    """Pin a topic to the top of the hot list or ban it from it; seen at the next refresh.
    Saved and deleted through notes.services."""

    list_display = ("tag", "action", "staff", "created_at")
    list_filter = ("action",)
    search_fields = ("tag__name",)
    fields = ("tag", "action")
    raw_id_fields = ("tag",)

    def get_readonly_fields(self, request: HttpRequest, obj: HotTopicRule | None = None):
        return ("tag",) if obj is not None else ()

    def save_model(self, request: HttpRequest, rule: HotTopicRule, form, change: bool) -> None:
        saved = services.hot_topic_rule_set(
            actor=request.user, tag=rule.tag, action=form.cleaned_data["action"]
        )
        rule.pk = saved.pk

    def delete_model(self, request: HttpRequest, rule: HotTopicRule) -> None:
        services.hot_topic_rule_remove(actor=request.user, tag=rule.tag)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HotTopicRule]) -> None:
        for rule in queryset.select_related("tag"):
            services.hot_topic_rule_remove(actor=request.user, tag=rule.tag)


@admin.register(HotListEntry)
class HotListEntryAdmin(ReadOnlyAdmin):
    """The hot list as the last refresh computed it."""

    list_display = ("kind", "rank", "place", "movement", "score", "is_pinned", "computed_at")
    list_filter = ("kind",)
    list_select_related = ("tag", "note")
    ordering = ("kind", "rank")

    @admin.display(description=gettext_lazy("Topic or note"))
    def place(self, entry: HotListEntry) -> str:
        return f"#{entry.tag.name}" if entry.tag_id else entry.note.title


# --- Search: the staff dictionary, readers' searches, the hot searches.


@admin.register(SearchWord)
class SearchWordAdmin(admin.ModelAdmin):
    """Words search keeps whole (brands, products, slang). Added and removed through
    notes.services; notes already indexed keep their old cut until `rebuild_search_index`."""

    list_display = ("word", "staff", "created_at")
    search_fields = ("word",)
    fields = ("word",)

    def has_change_permission(self, request: HttpRequest, obj: SearchWord | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, entry: SearchWord, form, change: bool) -> None:
        saved = services.search_word_add(actor=request.user, word=entry.word)
        entry.pk = saved.pk

    def delete_model(self, request: HttpRequest, entry: SearchWord) -> None:
        services.search_word_remove(actor=request.user, word_id=entry.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SearchWord]) -> None:
        for entry in queryset:
            services.search_word_remove(actor=request.user, word_id=entry.pk)


@admin.register(SearchRecord)
class SearchRecordAdmin(ReadOnlyAdmin):
    """Every search: what readers look for (a cleared search has no reader any more; its
    searcher, what the hot searches count, stays)."""

    list_display = ("query", "text", "reader", "searcher", "created_at")
    list_select_related = ("reader",)
    search_fields = ("query",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False


@admin.register(HotQuery)
class HotQueryAdmin(ReadOnlyAdmin):
    """The hot searches as the last refresh computed them."""

    list_display = ("rank", "text", "query", "searches", "score", "computed_at")
    ordering = ("rank",)
