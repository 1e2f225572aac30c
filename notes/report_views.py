"""Reporting (举报) a note or a comment: a sheet over the note with htmx, a page without it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from notes import services
from notes.forms import ReportForm
from notes.models import Comment, Note


def _reports_rate(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_REPORTS


def _report(
    request: HttpRequest, *, note: Note, comment: Comment | None, action: str
) -> HttpResponse:
    """GET: the form (a sheet for htmx, else a page). POST: file the report; the sheet then
    says thank you in place, the page goes back to the note with the same words."""
    form = ReportForm(request.POST if request.method == "POST" else None)
    thanks = None  # once filed, what the sheet (or the note page) says in its place
    if form.is_bound and form.is_valid():
        try:
            _filed, created = services.report_file(
                actor=request.user,
                note_id=note.pk,
                comment_id=comment.pk if comment else None,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            thanks = _("Thank you. Our moderators will look at it and tell you what they decide.")
            if not created:
                thanks = _(
                    "You reported this already. Our moderators will tell you what they decide."
                )
            if not request.htmx:
                messages.success(request, thanks)
                return redirect(note)
    context = {
        "note": note,
        "comment": comment,
        "form": form,
        "action": action,
        "thanks": thanks,
        "in_sheet": bool(request.htmx),
    }
    if not request.htmx:
        return TemplateResponse(request, "notes/report_page.html", context)
    if request.method == "POST":
        return TemplateResponse(request, "notes/report_form.html", context)
    return TemplateResponse(request, "notes/report_sheet.html", context)


def _refused(request: HttpRequest, note_id: int | None, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect("notes:detail", note_id=note_id) if note_id else redirect("/")


@login_required
@ratelimit(group="notes:report", key="user", rate=_reports_rate, method="POST")
def note_report(request: HttpRequest, note_id: int) -> HttpResponse:
    try:
        note, _comment = services.report_target(actor=request.user, note_id=note_id)
    except ValidationError as error:
        return _refused(request, note_id, error)
    return _report(request, note=note, comment=None, action=reverse("notes:report", args=[note_id]))


@login_required
@ratelimit(group="notes:report", key="user", rate=_reports_rate, method="POST")
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        note, comment = services.report_target(actor=request.user, comment_id=comment_id)
    except ValidationError as error:
        note_id = Comment.objects.filter(pk=comment_id).values_list("note_id", flat=True).first()
        return _refused(request, note_id, error)
    action = reverse("notes:comment_report", args=[comment_id])
    return _report(request, note=note, comment=comment, action=action)
