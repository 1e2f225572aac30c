"""The mall's home, product lists and the product page."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from core.forms import PageForm
from mall import selectors, services
from mall.forms import SORT_CHOICES, CartAddForm, ProductFilterForm
from mall.views.common import mall_context, reader, whole_number
from notes.selectors import reader_state

WATERFALL_PAGE = "partials/waterfall_page.html"
PRODUCT_CARD = "mall/partials/product_card.html"


def _wants_cards_only(request: HttpRequest) -> bool:
    """Infinite scroll: htmx asks for the next cards, to append them to the waterfall."""
    return bool(request.htmx) and not request.htmx.boosted


@require_safe
def mall_home(request: HttpRequest) -> HttpResponse:
    """Search, categories, staff's picks, then every product best sellers first."""
    paging = PageForm(request.GET)
    page = selectors.products_list(
        filters=selectors.ProductFilters(sort="popular"), **paging.page_args()
    )
    context = {"page": page, "next_query": paging.next_query(page), "card_template": PRODUCT_CARD}
    if _wants_cards_only(request):
        return TemplateResponse(request, WATERFALL_PAGE, context)
    context.update(
        mall_context(request),
        categories=selectors.categories_top(),
        featured=selectors.products_featured() if not paging.page_args()["cursor"] else [],
        flash_sales=selectors.flash_sales_shown(),
        campaigns=selectors.campaigns_running(),
        newest=selectors.products_list(
            filters=selectors.ProductFilters(sort="newest"), cursor=None, size=6
        ).items,
    )
    return TemplateResponse(request, "mall/home.html", context)


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    """Products narrowed by category, brand, price and stock, in the order asked."""
    form = ProductFilterForm(request.GET)
    filters = form.filters()
    paging = PageForm(request.GET)
    page = selectors.products_list(filters=filters, **paging.page_args())
    context = {
        "page": page,
        "next_query": paging.next_query(page, form.query()),
        "card_template": PRODUCT_CARD,
    }
    if _wants_cards_only(request):
        return TemplateResponse(request, WATERFALL_PAGE, context)
    categories = selectors.categories_top()
    keep = {name: value for name, value in form.query().items() if name != "sort"}
    sort_links = [
        (value, label, urlencode({**keep, "sort": value})) for value, label in SORT_CHOICES
    ]
    chosen = filters.category
    top_id = chosen and (chosen.parent_id or chosen.pk)
    context.update(
        mall_context(request),
        form=form,
        filters=filters,
        sort_links=sort_links,
        filters_open=bool(
            filters.brand or filters.min_price or filters.max_price or filters.in_stock
        ),
        categories=categories,
        current_top=next((top for top in categories if top.pk == top_id), None),
        brands=selectors.brands_on_sale(),
    )
    return TemplateResponse(request, "mall/product_list.html", context)


@require_safe
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product with its photos and SKUs, and the notes about it best first.

    `?note=` names the note the reader came from: the tap is counted for that note and the
    note travels with what they add to the cart, so the order remembers it.
    """
    viewer = reader(request)
    paging = PageForm(request.GET)
    product = selectors.product_get_for_buyer(product_id=product_id, actor=viewer)
    notes = selectors.product_notes(product=product, **paging.page_args())
    liked = reader_state(actor=viewer, note_ids=[note.pk for note in notes.items]).liked
    context = {
        "page": notes,
        "next_query": paging.next_query(notes),
        "liked_ids": liked,
    }
    if _wants_cards_only(request):
        return TemplateResponse(request, WATERFALL_PAGE, context)
    source_note_id = whole_number(request.GET.get("note"))
    if source_note_id is not None:
        services.note_product_click_record(note_id=source_note_id, product_id=product.pk)
    skus = list(product.skus.all())
    active_skus = [sku for sku in skus if sku.is_active]
    product_sales = selectors.flash_sales_shown(product=product) if product.is_on_sale else []
    live = {sale.sku_id: sale for sale in product_sales if not sale.is_upcoming and sale.remaining}
    for sku in active_skus:
        # What this SKU costs now and the price shown struck through beside it.
        sale = live.get(sku.pk)
        sku.price_now = sale.price if sale else sku.price
        sku.price_was = sku.price if sale else sku.compare_at_price
    chosen = next((sku for sku in active_skus if sku.is_available), None)
    form = CartAddForm(initial={"sku": chosen.pk if chosen else None, "note": source_note_id})
    context.update(
        mall_context(request),
        product=product,
        pictures=list(product.images.all()),
        skus=active_skus,
        chosen_sku=chosen,
        is_sold_out=chosen is None,
        form=form,
        low_stock=settings.MALL_LOW_STOCK,
        product_sales=product_sales,
    )
    return TemplateResponse(request, "mall/product_detail.html", context)
