"""The search pages: results (notes, creators, products), the suggestions under the top bar's
box, and clearing one's search history. Thin callers of community.search."""

from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from community import search as community_search
from core import search
from core.forms import PageForm
from core.http import safe_next
from notes import services
from notes.readers import reader_of, remember_reader, searcher_of
from notes.selectors import card_rows_liked, note_card_rows
from users.selectors import user_following_ids

SUGGESTIONS = "community/partials/search_suggestions.html"


class SearchForm(forms.Form):
    """`?q=` (any text: core.search.terms makes it safe and short), `?tab=`, `?sort=`."""

    q = forms.CharField(required=False, strip=True)
    tab = forms.ChoiceField(required=False, choices=[(t, t) for t in community_search.TABS])
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in community_search.SORTS])

    def value(self, name: str, default: str = "") -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else "") or default


def _reader(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Results of one tab for `q`. A search typed anew (only `q` in the address) is recorded:
    history, interests, hot searches. htmx infinite scroll gets the next cards alone."""
    form = SearchForm(request.GET)
    found = search.terms(form.value("q"))
    tab, sort = form.value("tab", "notes"), form.value("sort", "best")
    paging = PageForm(request.GET)
    results = community_search.search_results(
        found=found,
        tab=tab,
        sort=sort,
        note_cards=partial(note_card_rows, reader=_reader(request)),
        **paging.page_args(),
    )
    if set(request.GET) == {"q"}:
        services.search_record(actor=_reader(request), searcher=searcher_of(request), found=found)
    keep = {"q": found.text, "tab": results.tab}
    if results.tab == "notes":
        keep["sort"] = results.sort
    page = results.page
    context = {
        "results": results,
        "found": found,
        "page": page,
        "next_query": paging.next_query(page, keep),
        "tab_queries": {t: urlencode({"q": found.text, "tab": t}) for t in community_search.TABS},
        "sort_queries": {
            s: urlencode({"q": found.text, "tab": "notes", "sort": s})
            for s in community_search.SORTS
        },
    }
    ids = [item.pk for item in page.items]
    if results.tab == "notes":
        reader = reader_of(request)
        services.impressions_record(reader_key=reader.key, note_ids=ids, unseen=reader.is_new)
        context["liked_ids"] = card_rows_liked(page.items)
    elif results.tab == "creators":
        following = user_following_ids(actor=_reader(request), among=ids)
        context["rows"] = [(someone, someone.pk in following) for someone in page.items]
    if request.htmx and not request.htmx.boosted and paging.page_args()["cursor"]:
        template = (
            "users/partials/people_rows.html"
            if results.tab == "creators"
            else "partials/waterfall_page.html"
        )
        if results.tab == "products":
            context["card_template"] = "mall/partials/product_card.html"
    else:
        template = "community/search.html"
    return remember_reader(request, TemplateResponse(request, template, context))


@require_safe
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The dropdown under the search box (htmx, as the reader types); a page of its own
    without JavaScript."""
    text = SearchForm(request.GET).value("q")
    suggestions = community_search.search_suggestions(actor=_reader(request), text=text)
    template = SUGGESTIONS if request.htmx else "community/search_suggest.html"
    return TemplateResponse(request, template, {"suggestions": suggestions})


@login_required
@require_POST
def search_history_clear(request: HttpRequest) -> HttpResponse:
    """Forget the reader's searches; htmx gets the dropdown again, without them."""
    services.search_history_clear(actor=request.user)
    if request.htmx:
        suggestions = community_search.search_suggestions(actor=request.user, text="")
        return TemplateResponse(request, SUGGESTIONS, {"suggestions": suggestions})
    return redirect(safe_next(request, reverse("community:search_suggest")))
