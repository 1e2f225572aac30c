"""Products found by search: by title, brand and category, the best sellers first among equals.

Shared by the search page and the API (community.search).
"""

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, Greatest, Ln

from core import search
from core.pagination import Page, keyset_page
from mall.models import Product, ProductSearch
from mall.selectors import product_cards, products_on_sale

SALES_WEIGHT = 0.3  # ln-scale: ten times the sales counts ×2


def products_matching(found: search.Terms) -> QuerySet[Product]:
    """Products on sale with every word of the query, annotated with `search_score`."""
    queryset = search.matching(
        products_on_sale(), index=ProductSearch, found=found, relation="search"
    )
    sold = Cast(F("sold_count"), FloatField()) + Value(1.0)
    return queryset.annotate(
        search_score=Ln(Greatest(F("search_relevance"), Value(1e-9)))
        + Value(SALES_WEIGHT) * Ln(sold)
    )


def products_search(*, found: search.Terms, cursor: str | None, size: int) -> Page:
    """A page of the products found, best first, with what a card needs."""
    return keyset_page(
        product_cards(products_matching(found)),
        keys=("-search_score", "-id"),
        cursor=cursor,
        size=size,
        list_name=f"search.products.{found.key}",
    )
