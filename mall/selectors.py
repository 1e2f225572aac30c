"""Reads of the mall shared by pages and the API, each at a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.pagination import Page, keyset_page
from mall.models import (
    Address,
    Brand,
    Campaign,
    CartLine,
    Category,
    Coupon,
    CouponClaim,
    CouponQuote,
    CouponRedemption,
    FlashSale,
    NoteProduct,
    Order,
    OrderLine,
    Product,
    ProductImage,
    PurchaseProblem,
    Refund,
    Sku,
    coupon_quote,
    purchase_problem,
)
from mall.money import FEN, ZERO, line_total, money, points_max, points_value, shipping_fee
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
# An order still under way: paid for, and its goods or a refund not settled yet.
IN_PROGRESS_STATES = (
    Order.Status.PAID,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
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
    """Visible notes that link `product`, best first (CES): word of mouth beside the buy button.

    The linking notes are read first and given to the notes query as ids: joined instead,
    PostgreSQL walks every published note best-first looking for the few hundred that link the
    product (100 ms on the large bench); with the ids it reads only those and sorts them.
    """
    linking = NoteProduct.objects.filter(product=product).values_list("note_id", flat=True)
    notes = notes_published().filter(pk__in=list(linking))
    # A buyer's review of it ("bought on Hongshu"), marked on its card.
    notes = notes.annotate(
        is_verified_review=Exists(
            NoteProduct.objects.filter(
                note=OuterRef("pk"), product=product, order_line__isnull=False
            )
        )
    )
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


@dataclass
class ReviewedLine:
    """A cart line as it stands now: today's price (a live flash sale's, if any), and what stops
    it being bought."""

    line: CartLine
    problem: PurchaseProblem | None
    sale: FlashSale | None = None

    @property
    def sku(self) -> Sku:
        return self.line.sku

    @property
    def unit_price(self) -> Decimal:
        return self.sale.price if self.sale is not None else self.line.sku.price

    @property
    def total(self) -> Decimal:
        return line_total(self.unit_price, self.line.quantity)

    @property
    def is_unavailable(self) -> bool:
        return self.problem is not None and self.problem.is_unavailable

    @property
    def price_changed(self) -> bool:
        return self.sale is None and self.line.price_when_added != self.unit_price


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


def order_numbers_in_progress(*, buyer: User) -> list[str]:
    """The numbers of the buyer's orders still under way (IN_PROGRESS_STATES), oldest first."""
    return list(
        Order.objects.filter(buyer=buyer, status__in=IN_PROGRESS_STATES)
        .order_by("created_at", "pk")
        .values_list("number", flat=True)
    )


def order_numbers_unpaid(*, buyer: User) -> list[str]:
    """The numbers of the buyer's orders awaiting payment."""
    return list(
        Order.objects.filter(buyer=buyer, status=Order.Status.PENDING_PAYMENT).values_list(
            "number", flat=True
        )
    )


def cart_lines(*, owner: User) -> QuerySet[CartLine]:
    """The buyer's lines, newest first, with SKU, product and cover: two queries.

    Bounded by settings.MALL_CART_LINES_MAX (mall.services.cart_add).
    """
    return (
        CartLine.objects.filter(owner=owner)
        .select_related("sku__product__brand", "sku__product__category")
        .prefetch_related(
            Prefetch(
                "sku__product__images",
                queryset=ProductImage.objects.filter(position=0),
                to_attr="cover_images",
            )
        )
        .order_by("-created_at", "-id")
    )


def cart_review(
    *, owner: User, lines: list[CartLine] | None = None, now: datetime | None = None
) -> CartReview:
    """The cart at today's prices: one query for the lines' live flash sales and, when there are
    some, one for what the buyer already bought at them (their per-buyer limit)."""
    lines = list(cart_lines(owner=owner)) if lines is None else lines
    sales = flash_sales_live(sku_ids=[line.sku_id for line in lines], now=now)
    bought = flash_sale_units_bought(buyer=owner, sale_ids=[sale.pk for sale in sales.values()])
    reviewed = []
    for line in lines:
        sale = sales.get(line.sku_id)
        problem = purchase_problem(line.sku, line.quantity)
        if problem is None and sale is not None:
            problem = flash_sale_problem(sale, line.quantity, bought=bought.get(sale.pk, 0))
        reviewed.append(ReviewedLine(line, problem, sale))
    return CartReview(lines=reviewed)


# --- Flash sales (限时购).


def flash_sales_live(*, sku_ids: list[int], now: datetime | None = None) -> dict[int, FlashSale]:
    """The sale each SKU is in right now (sales of one SKU never overlap), by SKU id."""
    if not sku_ids:
        return {}
    now = now or timezone.now()
    sales = FlashSale.objects.filter(
        sku_id__in=sku_ids, starts_at__lte=now, ends_at__gt=now, remaining__gt=0
    )
    return {sale.sku_id: sale for sale in sales}


def flash_sale_units_bought(*, buyer: User, sale_ids: list[int]) -> dict[int, int]:
    """Units `buyer` holds at each sale's price: every order but the cancelled ones."""
    if not sale_ids:
        return {}
    rows = (
        OrderLine.objects.filter(flash_sale_id__in=sale_ids, order__buyer=buyer)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("flash_sale_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return {row["flash_sale_id"]: row["units"] for row in rows}


def flash_sale_problem(sale: FlashSale, quantity: int, *, bought: int) -> PurchaseProblem | None:
    """The sale's own limits on a line: the buyer's limit, then the units left at its price."""
    left_for_buyer = sale.per_user_limit - bought
    if left_for_buyer <= 0:
        return PurchaseProblem(
            ngettext(
                "Flash sale: you have bought your %(limit)d unit.",
                "Flash sale: you have bought your %(limit)d units.",
                sale.per_user_limit,
            )
            % {"limit": sale.per_user_limit},
            is_unavailable=True,
        )
    if quantity > left_for_buyer:
        return PurchaseProblem(
            gettext("Flash sale: at most %(limit)d per buyer.") % {"limit": left_for_buyer},
            is_unavailable=False,
        )
    if quantity > sale.remaining:
        return PurchaseProblem(
            ngettext(
                "Only %(count)d left at the flash-sale price.",
                "Only %(count)d left at the flash-sale price.",
                sale.remaining,
            )
            % {"count": sale.remaining},
            is_unavailable=False,
        )
    return None


def flash_sales_shown(
    *, now: datetime | None = None, product: Product | None = None
) -> list[FlashSale]:
    """The 限时购 strip: sales on now, then those starting within
    settings.MALL_FLASH_SALE_SOON_HOURS, soonest to end first, with their product's card data
    (two queries). With `product`, only that product's sales (its page)."""
    now = now or timezone.now()
    sales = FlashSale.objects.filter(
        ends_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.MALL_FLASH_SALE_SOON_HOURS),
        sku__is_active=True,
        sku__product__status=Product.Status.ACTIVE,
    )
    if product is not None:
        sales = sales.filter(sku__product=product)
    sales = sales.select_related("sku__product__brand").prefetch_related(
        Prefetch(
            "sku__product__images",
            queryset=ProductImage.objects.filter(position=0),
            to_attr="cover_images",
        )
    )
    shown = list(sales.order_by("starts_at", "ends_at", "id")[: settings.MALL_FLASH_SALES_SHOWN])
    for sale in shown:
        sale.is_upcoming = sale.starts_at > now
    return shown


def campaigns_running(*, now: datetime | None = None) -> list[Campaign]:
    """Campaigns on now, for the mall home's banner (at most three, ending soonest first)."""
    now = now or timezone.now()
    running = Campaign.objects.filter(starts_at__lte=now, ends_at__gt=now)
    return list(running.order_by("ends_at", "id")[:3])


# --- Coupons and checkout.


def coupons_claimable(*, now: datetime | None = None) -> list[Coupon]:
    """Coupons buyers can claim now, ending soonest first (bounded by
    settings.MALL_PAGE_SIZE)."""
    now = now or timezone.now()
    coupons = Coupon.objects.filter(is_claimable=True, starts_at__lte=now, ends_at__gt=now)
    coupons = coupons.exclude(total_uses__isnull=False, used_count__gte=F("total_uses"))
    return list(coupons.order_by("ends_at", "id")[: settings.MALL_PAGE_SIZE])


def coupon_wallet(*, owner: User, cursor: str | None, size: int) -> Page:
    """The buyer's claimed coupons, newest first, with their coupon: one query a page."""
    claims = CouponClaim.objects.filter(owner=owner).select_related("coupon")
    return keyset_page(
        claims,
        keys=("-claimed_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="mall.coupon_wallet",
    )


def coupons_claimed_ids(*, owner: User, coupon_ids: list[int]) -> set[int]:
    if not coupon_ids:
        return set()
    claims = CouponClaim.objects.filter(owner=owner, coupon_id__in=coupon_ids)
    return set(claims.values_list("coupon_id", flat=True))


def coupon_uses_of(*, owner: User, coupon_ids: list[int]) -> dict[int, int]:
    if not coupon_ids:
        return {}
    rows = (
        CouponRedemption.objects.filter(buyer=owner, coupon_id__in=coupon_ids)
        .values("coupon_id")
        .annotate(uses=Count("id"))
        .order_by()
    )
    return {row["coupon_id"]: row["uses"] for row in rows}


def coupons_usable(*, owner: User, now: datetime | None = None) -> list[Coupon]:
    """Claimed coupons valid now that the buyer has uses left of: the checkout's choices
    (at most settings.MALL_PAGE_SIZE, ending soonest first)."""
    now = now or timezone.now()
    claims = CouponClaim.objects.filter(
        owner=owner, coupon__starts_at__lte=now, coupon__ends_at__gt=now
    ).select_related("coupon")
    coupons = [
        claim.coupon
        for claim in claims.order_by("coupon__ends_at", "id")[: settings.MALL_PAGE_SIZE]
    ]
    uses = coupon_uses_of(owner=owner, coupon_ids=[coupon.pk for coupon in coupons])
    return [coupon for coupon in coupons if uses.get(coupon.pk, 0) < coupon.per_user_uses]


@dataclass
class CheckoutQuote:
    """The whole price of an order before it is placed: the cart at today's prices, the coupon
    and the points. mall.services.order_place charges exactly this, so the page and the order
    never disagree. `problems` stop the order; each says what to change."""

    review: CartReview
    coupon: CouponQuote | None = None
    points: int = 0
    points_balance: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return self.review.subtotal

    @property
    def shipping_fee(self) -> Decimal:
        return self.review.shipping_fee

    @property
    def coupon_discount(self) -> Decimal:
        if self.coupon is None or self.coupon.problem:
            return ZERO
        # The goods always cost at least a fen: a payment of nothing is no payment.
        return min(self.coupon.discount, max(ZERO, self.subtotal - FEN))

    @property
    def points_max(self) -> int:
        return points_max(self.subtotal - self.coupon_discount, self.points_balance)

    @property
    def points_discount(self) -> Decimal:
        return points_value(self.points) if self.points else ZERO

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping_fee - self.coupon_discount - self.points_discount

    @property
    def can_place(self) -> bool:
        """Whether an order placed now would go through as quoted: the cart can check out and
        nothing the buyer asked for (coupon, points) is refused."""
        return self.review.can_check_out and not self.problems


def checkout_quote(
    *,
    owner: User,
    coupon_code: str = "",
    coupon_id: int | None = None,
    points: int = 0,
    lines: list[CartLine] | None = None,
    now: datetime | None = None,
) -> CheckoutQuote:
    """Price the buyer's cart with a coupon (a typed code, or one from their wallet) and points.

    At most three queries more than the cart review: the coupon with its limits, and the
    buyer's uses of it.
    """
    now = now or timezone.now()
    quote = CheckoutQuote(
        review=cart_review(owner=owner, lines=lines, now=now),
        points_balance=owner.points_balance,
    )
    coupon = None
    coupons = Coupon.objects.prefetch_related("brands", "categories")
    code = coupon_code.strip().upper()
    if code:
        coupon = coupons.filter(code=code).first()
        if coupon is None:
            quote.problems.append(gettext("No coupon has the code %(code)s.") % {"code": code})
    elif coupon_id is not None:
        coupon = coupons.filter(pk=coupon_id, claims__owner=owner).first()
        if coupon is None:
            quote.problems.append(gettext("That coupon is not in your wallet."))
    if coupon is not None:
        uses = CouponRedemption.objects.filter(coupon=coupon, buyer=owner).count()
        quote.coupon = coupon_quote(
            coupon,
            lines=[(reviewed.sku.product, reviewed.total) for reviewed in quote.review.buyable],
            uses_by_buyer=uses,
            now=now,
        )
        if quote.coupon.problem:
            quote.problems.append(quote.coupon.problem)
    if points < 0:
        points = 0
    if points > quote.points_balance:
        quote.problems.append(
            ngettext(
                "Not enough points: you have %(balance)d point.",
                "Not enough points: you have %(balance)d points.",
                quote.points_balance,
            )
            % {"balance": quote.points_balance}
        )
    elif points > quote.points_max:
        quote.problems.append(
            gettext("At most %(max)d points can pay for this order.") % {"max": quote.points_max}
        )
    else:
        quote.points = points
    return quote


def addresses_of(*, owner: User) -> list[Address]:
    """The buyer's addresses, default first (at most settings.MALL_ADDRESSES_MAX)."""
    return list(Address.objects.filter(owner=owner))


def orders_of(*, buyer: User, cursor: str | None, size: int) -> Page:
    """The buyer's orders newest first, each with its lines: two queries."""
    orders = Order.objects.filter(buyer=buyer).prefetch_related("lines")
    return keyset_page(
        orders, keys=("-created_at", "-id"), cursor=cursor, size=size, list_name="mall.orders"
    )


# --- Staff: the sales report.

REPORT_DAYS_MAX = 366
REPORT_TOP = 10


@dataclass(frozen=True)
class SalesDay:
    day: date
    orders: int
    revenue: Decimal
    refunds: Decimal
    # The day's revenue as a share of the range's best day, 0–100: the chart's bar.
    bar: int = 0

    @property
    def bar_top(self) -> int:
        return 100 - self.bar


@dataclass(frozen=True)
class SalesReport:
    start: date
    end: date
    days: list[SalesDay]
    top_products: list[dict]
    top_notes: list[dict]

    @property
    def orders(self) -> int:
        return sum(day.orders for day in self.days)

    @property
    def revenue(self) -> Decimal:
        return money(sum((day.revenue for day in self.days), ZERO))

    @property
    def refunds(self) -> Decimal:
        return money(sum((day.refunds for day in self.days), ZERO))


def sales_report(*, start: date, end: date) -> SalesReport:
    """Orders paid, their revenue and refunds per day from `start` to `end` (both included, days
    in settings.TIME_ZONE, at most REPORT_DAYS_MAX), the best-selling products and the notes
    that sold most (part 1's attribution). Four queries whatever the range."""
    if end < start or (end - start).days >= REPORT_DAYS_MAX:
        raise ValueError("A report covers 1 to REPORT_DAYS_MAX days.")
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    paid = Order.objects.filter(paid_at__gte=since, paid_at__lt=until)
    per_day = {
        row["day"]: row
        for row in paid.annotate(day=TruncDate("paid_at", tzinfo=zone))
        .values("day")
        .annotate(orders=Count("id"), revenue=Sum("total"))
        .order_by()
    }
    refunds = {
        row["day"]: row["amount"]
        for row in Refund.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(amount=Sum("amount"))
        .order_by()
    }
    best = max((row["revenue"] or ZERO for row in per_day.values()), default=ZERO)
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row = per_day.get(day, {})
        revenue = money(row.get("revenue") or ZERO)
        days.append(
            SalesDay(
                day=day,
                orders=row.get("orders", 0),
                revenue=revenue,
                refunds=money(refunds.get(day) or ZERO),
                bar=int(revenue * 100 / best) if best else 0,
            )
        )
    lines = OrderLine.objects.filter(order__paid_at__gte=since, order__paid_at__lt=until)
    top_products = list(
        lines.values("product_id", "title")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "product_id")[:REPORT_TOP]
    )
    top_notes = list(
        lines.filter(source_note__isnull=False)
        .values("source_note_id", "source_note__title", "source_note__author__username")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "source_note_id")[:REPORT_TOP]
    )
    return SalesReport(
        start=start, end=end, days=days, top_products=top_products, top_notes=top_notes
    )


BRAND_NOTES_MAX = 50


def brand_of(*, account: User) -> Brand | None:
    """The brand store `account` runs, if any."""
    return Brand.objects.filter(account=account).first()


def brand_note_sales(*, brand: Brand, days: int = 30) -> list[dict]:
    """For a brand: the notes its products sold through over the last `days` days (paid orders,
    part 1's attribution), best first, at most BRAND_NOTES_MAX. One query."""
    since = timezone.now() - timedelta(days=days)
    lines = OrderLine.objects.filter(
        product__brand=brand,
        source_note__isnull=False,
        order__status__in=PAID_STATES,
        order__paid_at__gte=since,
    )
    return list(
        lines.values("source_note_id", "source_note__title", "source_note__author__username")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "source_note_id")[:BRAND_NOTES_MAX]
    )
