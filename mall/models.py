"""The welfare-society mall (福利社): catalogue, note links, carts, addresses, orders, payments.

Money is Decimal in CNY with two places (mall.money decides rounding and formatting). Stock is a
column of its SKU, taken with a conditional UPDATE inside the order's transaction, so the
`stock >= 0` constraint is the last guard against overselling.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mall.money import PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS, ZERO, format_money, money
from notes.models import Note

PRODUCT_TITLE_MAX_LENGTH = 80
PRODUCT_DESCRIPTION_MAX_LENGTH = 4000
SKU_ATTRIBUTES_MAX = 4
PHONE_PATTERN = r"^\+?[0-9][0-9 \-]{5,19}$"


def money_field(verbose_name: str, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        **kwargs,
    )


def product_image_upload_to(instance: models.Model, filename: str) -> str:
    # mall.services picks a random name after checking the upload (core.uploads).
    return f"mall/{filename[:2]}/{filename}"


# --- Catalogue.


class Brand(models.Model):
    """A brand's store in the mall; official when tied to a verified brand account."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brand_store",
        limit_choices_to={"kind": "brand"},
        verbose_name=_("brand account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_official_store(self) -> bool:
        return self.account is not None and self.account.is_verified

    def clean(self) -> None:
        if self.account is not None and self.account.kind != "brand":
            raise ValidationError(
                {"account": _("Only a brand account can run a brand store.")}, code="not_a_brand"
            )


class Category(models.Model):
    """A node of the two-level category tree: a top category or one of its subcategories."""

    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="mall_category_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Categories have two levels: choose a top category.")},
                code="too_deep",
            )
        if self.pk and (self.parent_id == self.pk or self.children.exists()):
            raise ValidationError(
                {"parent": _("A category with subcategories stays at the top.")},
                code="has_children",
            )


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("On sale")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=PRODUCT_TITLE_MAX_LENGTH)
    description = models.TextField(
        _("description"), max_length=PRODUCT_DESCRIPTION_MAX_LENGTH, blank=True
    )
    brand = models.ForeignKey(
        Brand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("brand"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    origin_country = models.CharField(_("country of origin"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    is_featured = models.BooleanField(_("featured"), default=False)
    # Denormalised from the SKUs by mall.services.product_prices_refresh: the lowest active
    # SKU's price and its compare-at price, for cards, filters and sorting.
    price = money_field(_("price from"), default=0)
    compare_at_price = money_field(_("compare-at price"), null=True, blank=True)
    # Units paid for, moved with F() when an order is paid or refunded with restocking.
    sold_count = models.PositiveIntegerField(_("sold"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("on sale since"), null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | Q(published_at__isnull=False),
                name="mall_active_product_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-sold_count", "-id"], name="mall_product_popular_idx"),
            models.Index(fields=["status", "-published_at", "-id"], name="mall_product_newest_idx"),
            models.Index(fields=["status", "price", "id"], name="mall_product_price_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mall:product", kwargs={"product_id": self.pk})

    @property
    def is_on_sale(self) -> bool:
        return self.status == self.Status.ACTIVE


class ProductImage(models.Model):
    """One photo of a product; position 0 is the cover."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("product"),
        db_index=False,
    )
    image = models.ImageField(
        _("image"), upload_to=product_image_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # core.images.Variants.files (PRODUCT_IMAGE_WIDTHS); `image` is the largest JPEG of them.
    variants = models.JSONField(_("variants"), default=list, blank=True)
    placeholder_colour = models.CharField(_("placeholder colour"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "position"], name="mall_image_order_idx")]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class Sku(models.Model):
    """One buyable variant of a product (a colour, a size) with its own price and stock."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", verbose_name=_("product")
    )
    code = models.CharField(_("SKU code"), max_length=40, unique=True)
    attributes = models.JSONField(
        _("attributes"),
        default=dict,
        blank=True,
        help_text=_('What sets this variant apart, e.g. {"Colour": "Red", "Size": "M"}.'),
    )
    price = money_field(_("price"))
    compare_at_price = money_field(
        _("compare-at price"),
        null=True,
        blank=True,
        help_text=_("The usual price, shown struck through; higher than the price."),
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    per_order_limit = models.PositiveSmallIntegerField(
        _("limit per order"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="mall_sku_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="mall_sku_price_positive"),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gt=F("price")),
                name="mall_sku_compare_at_above_price",
            ),
            models.CheckConstraint(
                condition=Q(per_order_limit__isnull=True) | Q(per_order_limit__gte=1),
                name="mall_sku_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.label}" if self.attributes else str(self.product)

    @property
    def label(self) -> str:
        """The variant as a buyer reads it: "Red · M"."""
        return " · ".join(str(value) for value in self.attributes.values()) or self.code

    @property
    def is_available(self) -> bool:
        return self.is_active and self.stock > 0

    def clean(self) -> None:
        if not isinstance(self.attributes, dict) or not all(
            isinstance(key, str) and isinstance(value, str | int)
            for key, value in self.attributes.items()
        ):
            raise ValidationError(
                {"attributes": _('Write the attributes as names and values: {"Size": "M"}.')},
                code="attributes",
            )
        if len(self.attributes) > SKU_ATTRIBUTES_MAX:
            raise ValidationError(
                {"attributes": _("At most %(max)d attributes.") % {"max": SKU_ATTRIBUTES_MAX}},
                code="attributes",
            )
        if (
            self.compare_at_price is not None
            and self.price is not None
            and self.compare_at_price <= self.price
        ):
            raise ValidationError(
                {"compare_at_price": _("The compare-at price must be higher than the price.")},
                code="compare_at_price",
            )


@dataclass(frozen=True)
class PurchaseProblem:
    """Why a quantity of an SKU cannot be bought as it stands.

    `is_unavailable`: none of it can be bought now (set aside at checkout, kept in the cart);
    otherwise the buyer can fix it by buying fewer.
    """

    message: str
    is_unavailable: bool


def purchase_problem(sku: Sku, quantity: int) -> PurchaseProblem | None:
    """The one rule for what a cart line, a checkout and an order may hold (needs sku.product)."""
    if not sku.is_active or not sku.product.is_on_sale:
        return PurchaseProblem(gettext("No longer on sale."), is_unavailable=True)
    if sku.stock == 0:
        return PurchaseProblem(gettext("Sold out."), is_unavailable=True)
    if quantity > sku.stock:
        return PurchaseProblem(
            ngettext("Only %(count)d left.", "Only %(count)d left.", sku.stock)
            % {"count": sku.stock},
            is_unavailable=False,
        )
    if sku.per_order_limit is not None and quantity > sku.per_order_limit:
        return PurchaseProblem(
            gettext("Limit %(limit)d per order.") % {"limit": sku.per_order_limit},
            is_unavailable=False,
        )
    return None


# --- Notes and products.


class NoteProduct(models.Model):
    """A product a creator linked from their note (up to settings.MALL_NOTE_PRODUCTS_MAX)."""

    note = models.ForeignKey(
        Note,
        on_delete=models.CASCADE,
        related_name="product_links",
        verbose_name=_("note"),
        db_index=False,
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="note_links", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Taps from the note's product card to the product page, added in batches.
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    # Set when the note is the buyer's review of this order line ("bought on Hongshu"): one
    # review per line, and the mark of a verified purchase.
    order_line = models.OneToOneField(
        "OrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_link",
        verbose_name=_("review of order line"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product on a note")
        verbose_name_plural = _("products on notes")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["note", "product"], name="mall_note_product_once")
        ]

    def __str__(self) -> str:
        return f"{self.note_id} → {self.product_id}"

    @property
    def is_verified_purchase(self) -> bool:
        return self.order_line_id is not None


# --- Carts and addresses.


class CartLine(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cart_lines",
        verbose_name=_("owner"),
        db_index=False,
    )
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    # What the buyer saw when adding it: a later change is pointed out before paying.
    price_when_added = money_field(_("price when added"))
    source_note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added from note"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "sku"], name="mall_cart_sku_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="mall_cart_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.quantity} × {self.sku_id}"


class Address(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        validators=[
            RegexValidator(PHONE_PATTERN, _("Enter a phone number: digits, spaces or dashes."))
        ],
    )
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=20)
    district = models.CharField(_("district"), max_length=20, blank=True)
    street = models.CharField(_("street address"), max_length=120)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="mall_one_default_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.one_line}"

    @property
    def one_line(self) -> str:
        return " ".join(
            part for part in (self.province, self.city, self.district, self.street) if part
        )


# --- Orders.


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUND_REQUESTED = "refund_requested", _("Refund requested")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("order number"), max_length=24, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("buyer"),
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING_PAYMENT
    )
    subtotal = money_field(_("subtotal"))
    shipping_fee = money_field(_("shipping"))
    # What the buyer pays: subtotal + shipping - coupon - points (a check constraint says so).
    coupon = models.ForeignKey(
        "Coupon",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("coupon"),
    )
    coupon_discount = money_field(_("coupon discount"), default=0)
    points_used = models.PositiveIntegerField(_("points used"), default=0)
    points_discount = money_field(_("paid with points"), default=0)
    total = money_field(_("total"))
    refunded_amount = money_field(_("refunded"), default=0)
    # The address as it was when the order was placed.
    ship_name = models.CharField(_("recipient"), max_length=40)
    ship_phone = models.CharField(_("phone"), max_length=20)
    ship_address = models.CharField(_("address"), max_length=200)
    payment_provider = models.CharField(_("payment provider"), max_length=16, blank=True)
    # The provider's checkout (a Stripe Checkout Session) and the payment it produced
    # (a PaymentIntent), which refunds name.
    checkout_reference = models.CharField(_("checkout reference"), max_length=255, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=255, blank=True)
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    refund_reason = models.CharField(_("refund reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation e-mailed"), null=True, blank=True)
    shipping_sent_at = models.DateTimeField(_("shipping e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total=F("subtotal")
                    + F("shipping_fee")
                    - F("coupon_discount")
                    - F("points_discount")
                ),
                name="mall_order_total_after_discounts",
            ),
            models.CheckConstraint(
                condition=Q(coupon_discount__gte=0) & Q(points_discount__gte=0),
                name="mall_order_discounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("total")),
                name="mall_order_refund_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at", "-id"], name="mall_order_buyer_idx"),
            models.Index(fields=["status", "expires_at"], name="mall_order_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("mall:order", kwargs={"number": self.number})

    def can_become(self, status: str) -> bool:
        return status in ORDER_TRANSITIONS[self.status]

    @property
    def is_awaiting_payment(self) -> bool:
        return self.status == self.Status.PENDING_PAYMENT

    @property
    def can_request_refund(self) -> bool:
        return self.can_become(self.Status.REFUND_REQUESTED)

    @property
    def can_review(self) -> bool:
        return self.status in (self.Status.DELIVERED, self.Status.COMPLETED)

    @property
    def can_confirm_receipt(self) -> bool:
        return self.status in (self.Status.SHIPPED, self.Status.DELIVERED)


_S = Order.Status
# Every allowed change of an order's status, and no other: mall.services.orders checks it.
# A declined refund request goes back to where the order was.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.PENDING_PAYMENT: frozenset({_S.PAID, _S.CANCELLED}),
    _S.PAID: frozenset({_S.SHIPPED, _S.REFUND_REQUESTED, _S.REFUNDED}),
    _S.SHIPPED: frozenset({_S.DELIVERED, _S.COMPLETED, _S.REFUND_REQUESTED, _S.REFUNDED}),
    _S.DELIVERED: frozenset({_S.COMPLETED, _S.REFUND_REQUESTED, _S.REFUNDED}),
    _S.COMPLETED: frozenset({_S.REFUND_REQUESTED, _S.REFUNDED}),
    _S.REFUND_REQUESTED: frozenset({_S.REFUNDED, _S.PAID, _S.SHIPPED, _S.DELIVERED, _S.COMPLETED}),
    _S.CANCELLED: frozenset(),
    _S.REFUNDED: frozenset(),
}


class OrderLine(models.Model):
    """What was bought, as it was at the time: title, variant and price are copied."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("SKU")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product")
    )
    title = models.CharField(_("title"), max_length=PRODUCT_TITLE_MAX_LENGTH)
    sku_label = models.CharField(_("variant"), max_length=200, blank=True)
    sku_code = models.CharField(_("SKU code"), max_length=40)
    unit_price = money_field(_("unit price"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    line_total = money_field(_("line total"))
    # The flash sale whose price the line got: its units go back to the sale if the order is
    # cancelled or expires.
    flash_sale = models.ForeignKey(
        "FlashSale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("flash sale"),
    )
    # The note the buyer came from, so a creator sees what their note sold.
    source_note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("bought through note"),
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="mall_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderEvent(models.Model):
    """One change of an order's status: who (None: the system or the payment provider), when."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Order.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Order.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '∅'} → {self.to_status}"


class Refund(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("order")
    )
    amount = money_field(_("amount"))
    restocked = models.BooleanField(_("stock put back"), default=False)
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="mall_refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"


class PaymentEvent(models.Model):
    """A provider's webhook event, recorded once: a second delivery of its id does nothing."""

    provider = models.CharField(_("provider"), max_length=16)
    event_id = models.CharField(_("event id"), max_length=255)
    type = models.CharField(_("type"), max_length=100)
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payment_events",
        verbose_name=_("order"),
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="mall_payment_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}"


# --- Promotions: campaigns, flash sales (限时购), coupons.


class Campaign(models.Model):
    """A promotion ("Red Friday") grouping flash sales and coupons under a banner on the mall
    home while it runs."""

    name = models.CharField(_("name"), max_length=60)
    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mall_campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _window_check(self.starts_at, self.ends_at)


def _window_check(starts_at: object, ends_at: object) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")}, code="window")


class FlashSale(models.Model):
    """Units of one SKU at a lower price for a while (限时购): `quota` units in all, at most
    `per_user_limit` per buyer. `remaining` is taken with a conditional UPDATE in the order's
    transaction (mall.services.orders) and given back when an order is cancelled or expires."""

    sku = models.ForeignKey(
        Sku, on_delete=models.CASCADE, related_name="flash_sales", verbose_name=_("SKU")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flash_sales",
        verbose_name=_("campaign"),
    )
    price = money_field(_("sale price"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    quota = models.PositiveIntegerField(_("units at the sale price"))
    remaining = models.PositiveIntegerField(_("units left"), default=0)
    per_user_limit = models.PositiveSmallIntegerField(_("limit per buyer"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="mall_flash_price_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mall_flash_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("quota")),
                name="mall_flash_remaining_within_quota",
            ),
            models.CheckConstraint(
                condition=Q(per_user_limit__gte=1), name="mall_flash_limit_positive"
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="mall_flash_window_idx")]

    def __str__(self) -> str:
        return f"{self.sku} @ {self.price}"

    def clean(self) -> None:
        """The two rules of a sale: cheaper than the SKU, and alone in its window for that SKU."""
        _window_check(self.starts_at, self.ends_at)
        if self.sku_id is None or self.price is None:
            return
        if self.price >= self.sku.price:
            raise ValidationError(
                {
                    "price": gettext("The sale price must be below the SKU's price (%(price)s).")
                    % {"price": format_money(self.sku.price)}
                },
                code="price_not_lower",
            )
        if self.starts_at and self.ends_at:
            overlapping = FlashSale.objects.filter(
                sku_id=self.sku_id, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at
            ).exclude(pk=self.pk)
            other = overlapping.order_by("starts_at").first()
            if other is not None:
                raise ValidationError(
                    gettext(
                        "This SKU already has a flash sale from %(start)s to %(end)s; "
                        "sales of one SKU cannot overlap."
                    )
                    % {
                        "start": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                        "end": timezone.localtime(other.ends_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    code="overlap",
                )

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at and self.remaining > 0


class Coupon(models.Model):
    """A discount on an order: a fixed amount, or a percentage up to a cap.

    Used by typing its `code` at checkout or from the buyer's wallet after claiming it (when
    `is_claimable`). One per order; `used_count` is taken with a conditional UPDATE in the
    order's transaction and given back when the order is cancelled, expires or is refunded.
    """

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        PERCENT = "percent", _("Percentage")

    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        help_text=_("What buyers type at checkout; empty: only claimed into the wallet."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.FIXED)
    amount = money_field(_("amount off"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent off"), null=True, blank=True)
    max_discount = money_field(
        _("at most"), null=True, blank=True, help_text=_("The cap of a percentage coupon.")
    )
    min_spend = money_field(
        _("minimum spend"),
        default=0,
        help_text=_("On the products the coupon applies to, before the discount."),
    )
    starts_at = models.DateTimeField(_("valid from"))
    ends_at = models.DateTimeField(_("valid until"))
    total_uses = models.PositiveIntegerField(
        _("uses in all"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    used_count = models.PositiveIntegerField(_("used"), default=0)
    per_user_uses = models.PositiveSmallIntegerField(_("uses per buyer"), default=1)
    is_claimable = models.BooleanField(
        _("buyers can claim it"),
        default=False,
        help_text=_("Listed on the buyers' coupon page while valid."),
    )
    brands = models.ManyToManyField(
        Brand,
        blank=True,
        related_name="coupons",
        verbose_name=_("only these brands"),
    )
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="coupons",
        verbose_name=_("only these categories"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coupons",
        verbose_name=_("campaign"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="mall_coupon_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mall_coupon_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(total_uses__isnull=True) | Q(used_count__lte=F("total_uses")),
                name="mall_coupon_uses_within_total",
            ),
            models.CheckConstraint(
                condition=(Q(kind="fixed") & Q(amount__gt=0))
                | (Q(kind="percent") & Q(percent__gte=1) & Q(percent__lte=99)),
                name="mall_coupon_kind_has_value",
            ),
            models.CheckConstraint(
                condition=Q(per_user_uses__gte=1), name="mall_coupon_per_user_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _window_check(self.starts_at, self.ends_at)
        self.code = self.code.strip().upper()
        if self.kind == self.Kind.FIXED and not self.amount:
            raise ValidationError({"amount": _("Give the amount off.")}, code="amount")
        if self.kind == self.Kind.PERCENT and not (self.percent and 1 <= self.percent <= 99):
            raise ValidationError({"percent": _("Give a percentage from 1 to 99.")}, code="percent")

    @property
    def label(self) -> str:
        """What it is worth, as a buyer reads it: "¥20 off", "15% off (at most ¥30)"."""
        if self.kind == self.Kind.FIXED:
            text = gettext("%(amount)s off") % {"amount": format_money(self.amount)}
        else:
            text = gettext("%(percent)d%% off") % {"percent": self.percent}
            if self.max_discount:
                text += " " + gettext("(at most %(cap)s)") % {
                    "cap": format_money(self.max_discount)
                }
        if self.min_spend:
            text += " · " + gettext("from %(min)s") % {"min": format_money(self.min_spend)}
        return text

    def applies_to(self, product: Product) -> bool:
        """Whether `product` counts toward this coupon (needs brands and categories
        prefetched, and product.category)."""
        brand_ids = {brand.pk for brand in self.brands.all()}
        category_ids = {category.pk for category in self.categories.all()}
        if brand_ids and product.brand_id not in brand_ids:
            return False
        return not category_ids or bool(
            {product.category_id, product.category.parent_id} & category_ids
        )


@dataclass(frozen=True)
class CouponQuote:
    """What a coupon takes off an order, or why it cannot be used on it (`problem`)."""

    coupon: Coupon
    discount: Decimal
    problem: str | None = None


def coupon_quote(
    coupon: Coupon, *, lines: list[tuple[Product, Decimal]], uses_by_buyer: int, now: datetime
) -> CouponQuote:
    """The one rule for using a coupon on lines of (product, line amount): window, uses left,
    the buyer's uses, the products it applies to, the minimum spend, then the discount rounded
    half up to the fen and never more than those products cost."""

    def refused(message: str) -> CouponQuote:
        return CouponQuote(coupon=coupon, discount=ZERO, problem=message)

    if now < coupon.starts_at:
        return refused(
            gettext("This coupon can be used from %(start)s.")
            % {"start": timezone.localtime(coupon.starts_at).strftime("%Y-%m-%d %H:%M")}
        )
    if now >= coupon.ends_at:
        return refused(gettext("This coupon has expired."))
    if coupon.total_uses is not None and coupon.used_count >= coupon.total_uses:
        return refused(gettext("This coupon has run out."))
    if uses_by_buyer >= coupon.per_user_uses:
        return refused(gettext("You have already used this coupon."))
    eligible = money(sum((amount for product, amount in lines if coupon.applies_to(product)), ZERO))
    if not eligible:
        return refused(gettext("This coupon does not apply to these products."))
    if eligible < coupon.min_spend:
        return refused(
            gettext("Spend %(min)s on the products it applies to to use this coupon.")
            % {"min": format_money(coupon.min_spend)}
        )
    if coupon.kind == Coupon.Kind.FIXED:
        discount = coupon.amount
    else:
        discount = money(eligible * coupon.percent / 100)
        if coupon.max_discount is not None:
            discount = min(discount, coupon.max_discount)
    return CouponQuote(coupon=coupon, discount=money(min(discount, eligible)))


class CouponClaim(models.Model):
    """A coupon in a buyer's wallet ("my coupons")."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coupon_claims",
        verbose_name=_("owner"),
        db_index=False,
    )
    coupon = models.ForeignKey(
        Coupon, on_delete=models.CASCADE, related_name="claims", verbose_name=_("coupon")
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claimed coupon")
        verbose_name_plural = _("claimed coupons")
        constraints = [
            models.UniqueConstraint(fields=["owner", "coupon"], name="mall_coupon_claim_once")
        ]
        indexes = [models.Index(fields=["owner", "-claimed_at", "-id"], name="mall_claim_idx")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.coupon_id}"


class CouponRedemption(models.Model):
    """One use of a coupon, by one order; deleted (and the use given back) when that order is
    cancelled, expires or is refunded."""

    coupon = models.ForeignKey(
        Coupon,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("coupon"),
        db_index=False,
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coupon_redemptions",
        verbose_name=_("buyer"),
    )
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="coupon_redemption", verbose_name=_("order")
    )
    amount = money_field(_("discount"))
    created_at = models.DateTimeField(_("used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        indexes = [models.Index(fields=["coupon", "buyer"], name="mall_redemption_buyer_idx")]

    def __str__(self) -> str:
        return f"{self.coupon_id} → {self.order_id}"


class ProductSearch(models.Model):
    """A product on sale, by its words for search (core.search): title and brand, then its
    category. Kept by the catalogue services; search asks for products on sale anyway."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    primary_text = models.TextField(_("title and brand, cut into words"), blank=True)
    secondary_text = models.TextField(_("category, cut into words"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("product search row")
        verbose_name_plural = _("product search rows")

    def __str__(self) -> str:
        return str(self.product_id)
