"""Products in search (core.search): the index rows of products on sale, kept by the catalogue
services (a product, its brand or its category changed)."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import QuerySet

from core import search
from mall.models import Product, ProductSearch

INDEX_BATCH = 500


def _index(products: list[Product]) -> None:
    shown = [product for product in products if product.is_on_sale]
    rows = [
        ProductSearch(
            product_id=product.pk,
            primary_text=search.document(
                product.title, product.brand.name if product.brand_id else ""
            ),
            secondary_text=search.document(
                product.category.name,
                product.category.parent.name if product.category.parent_id else "",
            ),
        )
        for product in shown
    ]
    search.index_save(ProductSearch, rows, fields=["primary_text", "secondary_text"])
    search.index_delete(ProductSearch, {p.pk for p in products} - {p.pk for p in shown})


def _products() -> QuerySet[Product]:
    return Product.objects.select_related("brand", "category__parent").order_by("pk")


@transaction.atomic
def products_search_update(*, product_ids: Iterable[int]) -> None:
    """Bring these products' index rows up to date (on sale: indexed; otherwise: out)."""
    product_ids = list(product_ids)
    for start in range(0, len(product_ids), INDEX_BATCH):
        chunk = product_ids[start : start + INDEX_BATCH]
        found = list(_products().filter(pk__in=chunk))
        _index(found)
        search.index_delete(ProductSearch, set(chunk) - {product.pk for product in found})


def products_search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every product on sale again, in batches (a transaction each); returns how many."""
    queryset = _products().filter(status=Product.Status.ACTIVE)
    total, done, last = queryset.count(), 0, 0
    while batch := list(queryset.filter(pk__gt=last)[:INDEX_BATCH]):
        with transaction.atomic():
            _index(batch)
        done, last = done + len(batch), batch[-1].pk
        if progress is not None:
            progress(done, total)
    search.index_prune(ProductSearch, keep=queryset)
    return done
