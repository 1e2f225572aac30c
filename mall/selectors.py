"""Reads of the mall shared by pages and the API, each at a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from core.pagination import Page, keyset_page
from mall.models import (
    Address,
    Brand,
    CartLine,
    Category,
    NoteProduct,
    Order,
    OrderLine,
    Product,
    ProductImage,
    PurchaseProblem,
    Sku,
    purchase_problem,
)
from mall.money import ZERO, line_total, money, shipping_fee
from notes.models import Note
from notes.selectors import note_cards, notes_published
from users.models import User

# Sort name -> (keyset keys, list name). Each sort is its own list: a cursor fits only it.
PRODUCT_SORTS: dict[str, tuple[tuple[str, ...], str]] = {
    "popular": (("-sold_count", "-id"), "mall.products.popular"),
    "newest": (("-published_at", "-id"), "mall.products.newest"),
    "price": (("price", "id"), "mall.products.price"),
    "-price": (("-price", "-id"), "mall.products.price_desc"),
}
DEFAULT_SORT = "popular"
NOTES_BEST_FIRST = ("-ces", "-id")
# An order whose money is with us: what counts as sold.
PAID_STATES = (
    Order.Status.PAID,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
    Order.Status.REFUND_REQUESTED,
)
FEATURED_MAX = 8


def product_cards(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card needs (brand, cover) in two queries for any number of cards.

    The cover is prefetched into `product.cover_images` (a list of at most one image).
    """
    return queryset.select_related("brand__account").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.filter(position=0), to_attr="cover_images")
    )


def products_on_sale() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.ACTIVE)


def in_stock_filter() -> Exists:
    return Exists(Sku.objects.filter(product=OuterRef("pk"), is_active=True, stock__gt=0))


@dataclass(frozen=True)
class ProductFilters:
    """What a product list can be narrowed by; empty values narrow nothing."""

    query: str = ""
    category: Category | None = None
    brand: Brand | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    sort: str = DEFAULT_SORT


def products_list(*, filters: ProductFilters, cursor: str | None, size: int) -> Page:
    """Products on sale, narrowed and sorted as asked; a top category includes its children."""
    products = products_on_sale()
    if filters.query:
        products = products.filter(
            Q(title__icontains=filters.query) | Q(brand__name__icontains=filters.query)
        )
    if filters.category is not None:
        products = products.filter(
            Q(category=filters.category) | Q(category__parent=filters.category)
        )
    if filters.brand is not None:
        products = products.filter(brand=filters.brand)
    if filters.min_price is not None:
        products = products.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        products = products.filter(price__lte=filters.max_price)
    if filters.in_stock:
        products = products.filter(in_stock_filter())
    keys, list_name = PRODUCT_SORTS.get(filters.sort, PRODUCT_SORTS[DEFAULT_SORT])
    return keyset_page(
        product_cards(products), keys=keys, cursor=cursor, size=size, list_name=list_name
    )


def products_featured() -> list[Product]:
    """Staff's picks for the mall's home, best sellers first (at most FEATURED_MAX)."""
    featured = products_on_sale().filter(is_featured=True).order_by("-sold_count", "-id")
    return list(product_cards(featured)[:FEATURED_MAX])


def categories_top() -> list[Category]:
    """The top categories with their subcategories: two queries, a small staff-made tree."""
    children = Prefetch("children", queryset=Category.objects.order_by("position", "id"))
    return list(Category.objects.filter(parent__isnull=True).prefetch_related(children))


def category_get_by_slug(*, slug: str) -> Category | None:
    return Category.objects.select_related("parent").filter(slug=slug).first()


def brands_on_sale() -> list[Brand]:
    """Brands with at least one product on sale: the brand filter's choices."""
    return list(
        Brand.objects.filter(Exists(products_on_sale().filter(brand=OuterRef("pk")))).order_by(
            "name"
        )
    )


def categories_page(*, cursor: str | None, size: int) -> Page:
    """Every category, top and sub alike, in the staff's order: the API's flat tree (each row
    names its parent), paged like every list though the tree is small."""
    categories = Category.objects.select_related("parent")
    return keyset_page(
        categories,
        keys=("position", "id"),
        cursor=cursor,
        size=size,
        list_name="mall.categories",
    )


def brands_page(*, cursor: str | None, size: int) -> Page:
    """Brands with at least one product on sale (those a buyer can filter by), by name."""
    brands = Brand.objects.filter(
        Exists(products_on_sale().filter(brand=OuterRef("pk")))
    ).select_related("account")
    return keyset_page(
        brands, keys=("name", "id"), cursor=cursor, size=size, list_name="mall.brands"
    )


def brand_get_by_slug(*, slug: str) -> Brand | None:
    return Brand.objects.filter(slug=slug).first()


def product_get_for_buyer(*, product_id: int, actor: User | None) -> Product:
    """A product on sale or archived (its page says so); a draft only for staff; else 404.

    With brand, category, photos and SKUs: four queries.
    """
    products = Product.objects.select_related("brand__account", "category__parent")
    if actor is None or not actor.is_staff:
        products = products.exclude(status=Product.Status.DRAFT)
    product = products.prefetch_related("images", "skus").filter(pk=product_id).first()
    if product is None:
        raise Http404
    return product


def product_notes(*, product: Product, cursor: str | None, size: int) -> Page:
    """Visible notes that link `product`, best first (CES): word of mouth beside the buy button."""
    notes = notes_published().filter(product_links__product=product)
    return keyset_page(
        note_cards(notes),
        keys=NOTES_BEST_FIRST,
        cursor=cursor,
        size=size,
        list_name="mall.product_notes",
    )


def note_product_links(*, note: Note) -> list[NoteProduct]:
    """A note's product links in order, each with its product's card data: two queries."""
    links = NoteProduct.objects.filter(note=note).select_related("product__brand__account")
    links = links.prefetch_related(
        Prefetch(
            "product__images",
            queryset=ProductImage.objects.filter(position=0),
            to_attr="cover_images",
        )
    )
    return list(links)


def products_for_linking(*, query: str, size: int) -> list[Product]:
    """Products a creator may link: on sale, matching `query`, best sellers first."""
    products = products_on_sale()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(brand__name__icontains=query))
    return list(product_cards(products.order_by("-sold_count", "-id"))[:size])


def note_units_sold(*, note: Note) -> int:
    """Units bought through `note` on orders that were paid (and not refunded)."""
    total = OrderLine.objects.filter(source_note=note, order__status__in=PAID_STATES).aggregate(
        total=Sum("quantity")
    )["total"]
    return total or 0


def cart_count(*, owner: User) -> int:
    """Units in the buyer's cart, for the mall's bar."""
    return CartLine.objects.filter(owner=owner).aggregate(total=Sum("quantity"))["total"] or 0


@dataclass
class ReviewedLine:
    """A cart line as it stands now: today's price, and what stops it being bought."""

    line: CartLine
    problem: PurchaseProblem | None

    @property
    def sku(self) -> Sku:
        return self.line.sku

    @property
    def unit_price(self) -> Decimal:
        return self.line.sku.price

    @property
    def total(self) -> Decimal:
        return line_total(self.unit_price, self.line.quantity)

    @property
    def is_unavailable(self) -> bool:
        return self.problem is not None and self.problem.is_unavailable

    @property
    def price_changed(self) -> bool:
        return self.line.price_when_added != self.unit_price


@dataclass
class CartReview:
    """The cart priced on the server: lines that cannot be bought now are set aside (and stay
    in the cart); a line that needs fewer units stops checkout until it is fixed."""

    lines: list[ReviewedLine]

    @property
    def buyable(self) -> list[ReviewedLine]:
        return [reviewed for reviewed in self.lines if not reviewed.is_unavailable]

    @property
    def subtotal(self) -> Decimal:
        return money(sum((reviewed.total for reviewed in self.buyable), ZERO))

    @property
    def shipping_fee(self) -> Decimal:
        return shipping_fee(self.subtotal)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping_fee

    @property
    def count(self) -> int:
        return sum(reviewed.line.quantity for reviewed in self.lines)

    @property
    def has_fixable_problems(self) -> bool:
        return any(r.problem is not None and not r.is_unavailable for r in self.lines)

    @property
    def can_check_out(self) -> bool:
        return bool(self.buyable) and not self.has_fixable_problems

    @property
    def price_changes(self) -> list[ReviewedLine]:
        return [reviewed for reviewed in self.buyable if reviewed.price_changed]


def cart_lines(*, owner: User) -> QuerySet[CartLine]:
    """The buyer's lines, newest first, with SKU, product and cover: two queries.

    Bounded by settings.MALL_CART_LINES_MAX (mall.services.cart_add).
    """
    return (
        CartLine.objects.filter(owner=owner)
        .select_related("sku__product__brand")
        .prefetch_related(
            Prefetch(
                "sku__product__images",
                queryset=ProductImage.objects.filter(position=0),
                to_attr="cover_images",
            )
        )
        .order_by("-created_at", "-id")
    )


def cart_review(*, owner: User, lines: list[CartLine] | None = None) -> CartReview:
    lines = list(cart_lines(owner=owner)) if lines is None else lines
    return CartReview(
        lines=[ReviewedLine(line, purchase_problem(line.sku, line.quantity)) for line in lines]
    )


def addresses_of(*, owner: User) -> list[Address]:
    """The buyer's addresses, default first (at most settings.MALL_ADDRESSES_MAX)."""
    return list(Address.objects.filter(owner=owner))


def orders_of(*, buyer: User, cursor: str | None, size: int) -> Page:
    """The buyer's orders newest first, each with its lines: two queries."""
    orders = Order.objects.filter(buyer=buyer).prefetch_related("lines")
    return keyset_page(
        orders, keys=("-created_at", "-id"), cursor=cursor, size=size, list_name="mall.orders"
    )
