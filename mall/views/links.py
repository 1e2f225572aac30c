"""The "link products" sheet of a note, for its author: search products, add, remove."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.http import login_required_for_action
from mall import selectors, services
from mall.forms import ProductSearchForm
from mall.views.common import error_text, mall_context, whole_number
from notes import services as note_services

SEARCH_RESULTS = 12


@require_safe
@login_required
def note_products(request: HttpRequest, note_id: int) -> HttpResponse:
    """The sheet; with htmx, only the search results (search as you type)."""
    note = note_services.note_get_for_editing(actor=request.user, note_id=note_id)
    form = ProductSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    linked_ids = services.note_product_ids(note_id=note.pk)
    results = selectors.products_for_linking(query=query, size=SEARCH_RESULTS)
    context = {
        "note": note,
        "form": form,
        "query": query,
        "results": results,
        "linked_ids": set(linked_ids),
        "is_full": len(linked_ids) >= settings.MALL_NOTE_PRODUCTS_MAX,
        "products_max": settings.MALL_NOTE_PRODUCTS_MAX,
    }
    if request.htmx:
        return TemplateResponse(request, "mall/partials/link_results.html", context)
    context.update(mall_context(request), links=selectors.note_product_links(note=note))
    return TemplateResponse(request, "mall/note_products.html", context)


def _link_action(verb):
    @login_required_for_action
    @require_POST
    def view(request: HttpRequest, note_id: int) -> HttpResponse:
        note_services.note_get_for_editing(actor=request.user, note_id=note_id)
        product_id = whole_number(request.POST.get("product"))
        try:
            if product_id is None:
                raise ValidationError(_("Choose a product."))
            verb(actor=request.user, note_id=note_id, product_id=product_id)
        except ValidationError as error:
            messages.error(request, error_text(error))
        fallback = reverse("mall:note_products", args=[note_id])
        query = request.POST.get("q", "").strip()
        return redirect(f"{fallback}?q={query}" if query else fallback)

    view.__name__ = verb.__name__
    return view


note_product_attach = _link_action(services.note_product_attach)
note_product_detach = _link_action(services.note_product_detach)
