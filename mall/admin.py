"""Staff screens of the mall: the catalogue (saved through mall.services), orders with actions
that call the order services, and read-only payment records.
"""

import csv
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import stripe
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyInline, apply_one_by_one
from mall import services
from mall.models import (
    Brand,
    Campaign,
    Category,
    Coupon,
    CouponRedemption,
    FlashSale,
    NoteProduct,
    Order,
    OrderEvent,
    OrderLine,
    PaymentEvent,
    Product,
    ProductImage,
    Refund,
    Sku,
)
from mall.money import format_money
from mall.selectors import PAID_STATES, REPORT_DAYS_MAX, SalesReport, sales_report

# --- Catalogue.


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "account", "created_at")
    search_fields = ("name", "slug", "account__username")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("account",)

    def save_model(
        self, request: HttpRequest, brand: Brand, form: forms.Form, change: bool
    ) -> None:
        services.brand_save(actor=request.user, brand=brand)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "position")
    list_filter = (("parent", admin.EmptyFieldListFilter),)
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("parent__position", "position", "id")

    def save_model(
        self, request: HttpRequest, category: Category, form: forms.Form, change: bool
    ) -> None:
        services.category_save(actor=request.user, category=category)


class SkuInlineForm(forms.ModelForm):
    """Stock typed here is compared with the stock the form showed (`stock_seen`); only the
    difference is applied to the stock as it is now (mall.services.sku_save), so units bought
    while the form was open stay bought."""

    stock_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Sku
        fields = (
            "code",
            "attributes",
            "price",
            "compare_at_price",
            "stock",
            "per_order_limit",
            "is_active",
            "position",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stock_seen"].initial = self.instance.stock

    def has_changed(self) -> bool:
        return super().has_changed() or self.stock_change() != 0

    def stock_change(self) -> int:
        if self.instance.pk is None or not hasattr(self, "cleaned_data"):
            return 0
        seen = self.cleaned_data.get("stock_seen")
        return self.cleaned_data["stock"] - (self.instance.stock if seen is None else seen)


class SkuInline(admin.TabularInline):
    model = Sku
    form = SkuInlineForm
    extra = 1
    ordering = ("position", "id")


class ProductImageInlineForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ("image", "position")

    def clean_image(self) -> object:
        upload = self.cleaned_data["image"]
        if upload and hasattr(upload, "content_type"):  # a new file, not the stored one
            services.product_image_check(upload)
        return upload


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageInlineForm
    extra = 1
    ordering = ("position", "id")


class LowStockFilter(admin.SimpleListFilter):
    title = gettext_lazy("stock")
    parameter_name = "stock"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("low", _("Low stock")), ("out", _("An SKU sold out"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        skus = Sku.objects.filter(product=OuterRef("pk"), is_active=True)
        if self.value() == "low":
            return queryset.filter(
                Exists(skus.filter(stock__gt=0, stock__lte=settings.MALL_LOW_STOCK))
            )
        if self.value() == "out":
            return queryset.filter(Exists(skus.filter(stock=0)))
        return queryset


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "brand", "category", "status", "price_shown", "sold_count")
    list_filter = ("status", "is_featured", LowStockFilter, "category", "brand")
    search_fields = ("title", "brand__name", "skus__code")
    list_select_related = ("brand", "category")
    readonly_fields = ("price", "compare_at_price", "sold_count", "published_at", "created_at")
    fieldsets = (
        (None, {"fields": ("title", "description", "brand", "category", "origin_country")}),
        (gettext_lazy("Sale"), {"fields": ("status", "is_featured")}),
        (
            gettext_lazy("From the SKUs"),
            {"fields": ("price", "compare_at_price", "sold_count", "published_at", "created_at")},
        ),
    )
    inlines = (ProductImageInline, SkuInline)
    actions = ("archive",)
    ordering = ("-created_at", "-id")

    def has_delete_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        """Products are archived, never deleted: a delete would take the notes' links (and
        their product counts), buyers' carts and sales with it, around mall.services."""
        return False

    @admin.display(description=gettext_lazy("price from"), ordering="price")
    def price_shown(self, product: Product) -> str:
        return format_money(product.price)

    def save_model(
        self, request: HttpRequest, product: Product, form: forms.Form, change: bool
    ) -> None:
        services.product_save(actor=request.user, product=product)

    def save_formset(self, request: HttpRequest, form: forms.Form, formset, change: bool) -> None:
        """Every SKU and photo change goes through mall.services."""
        for inline_form in formset.deleted_forms:
            row = inline_form.instance
            if row.pk is None:
                continue
            if isinstance(row, ProductImage):
                services.product_image_delete(actor=request.user, image_id=row.pk)
            else:
                row.is_active = False  # SKUs others bought stay, off sale
                services.sku_save(actor=request.user, sku=row)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            row = inline_form.instance
            row.product = form.instance
            if isinstance(row, ProductImage):
                self._save_image(request, inline_form, row)
            else:
                services.sku_save(
                    actor=request.user, sku=row, stock_change=inline_form.stock_change()
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _save_image(self, request: HttpRequest, inline_form: forms.Form, row: ProductImage) -> None:
        if row.pk is None or "image" in inline_form.changed_data:
            if row.pk is not None:
                services.product_image_delete(actor=request.user, image_id=row.pk)
            services.product_image_add(
                actor=request.user,
                product_id=row.product_id,
                upload=inline_form.cleaned_data["image"],
                position=inline_form.cleaned_data["position"],
            )
        else:
            services.product_image_move(
                actor=request.user, image_id=row.pk, position=inline_form.cleaned_data["position"]
            )

    @admin.action(description=gettext_lazy("Archive (take off sale)"), permissions=("change",))
    def archive(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        def act(product: Product) -> None:
            product.status = Product.Status.ARCHIVED
            services.product_save(actor=request.user, product=product)

        changed = apply_one_by_one(self, request, queryset, act=act, label=str)
        self.message_user(
            request,
            ngettext("%(count)d product archived.", "%(count)d products archived.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(NoteProduct)
class NoteProductAdmin(admin.ModelAdmin):
    """Which notes link which products, their taps and what they sold: creators change links,
    not staff."""

    list_display = ("note", "product", "clicks", "units_sold", "created_at")
    search_fields = ("note__title", "product__title")
    list_select_related = ("note", "product")
    ordering = ("-created_at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[NoteProduct]:
        sold = (
            OrderLine.objects.filter(
                source_note=OuterRef("note"),
                product=OuterRef("product"),
                order__status__in=PAID_STATES,
            )
            .order_by()
            .values("source_note")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        return super().get_queryset(request).annotate(sold=Coalesce(Subquery(sold), 0))

    @admin.display(description=gettext_lazy("sold through the note"), ordering="sold")
    def units_sold(self, link: NoteProduct) -> int:
        return link.sold

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- Orders.


class OrderLineInline(ReadOnlyInline, admin.TabularInline):
    model = OrderLine
    fields = (
        "title",
        "sku_label",
        "sku_code",
        "unit_price",
        "quantity",
        "line_total",
        "source_note",
    )
    readonly_fields = fields
    extra = 0


class OrderEventInline(ReadOnlyInline, admin.TabularInline):
    model = OrderEvent
    fields = ("created_at", "from_status", "to_status", "actor", "detail")
    readonly_fields = fields
    extra = 0


class RefundInline(ReadOnlyInline, admin.TabularInline):
    model = Refund
    fields = ("created_at", "amount", "restocked", "provider_reference", "actor")
    readonly_fields = fields
    extra = 0


class ShipForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=40)
    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=60)


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (¥)"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        help_text=gettext_lazy("Empty: everything not yet refunded, order by order."),
    )
    restock = forms.BooleanField(label=gettext_lazy("Put the units back in stock"), required=False)


class SalesReportForm(forms.Form):
    """The report's range: the last 30 days unless asked, at most REPORT_DAYS_MAX days."""

    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and (end < start or (end - start).days >= REPORT_DAYS_MAX):
            raise ValidationError(
                _("Choose a range of 1 to %(max)d days.") % {"max": REPORT_DAYS_MAX}
            )
        return cleaned

    def range(self) -> tuple[date, date]:
        today = timezone.localdate()
        if self.is_bound and self.is_valid():
            end = self.cleaned_data["end"] or today
            start = self.cleaned_data["start"] or end - timedelta(days=29)
            if end >= start and (end - start).days < REPORT_DAYS_MAX:
                return start, end
        return today - timedelta(days=29), today


def _csv_text(value: str) -> str:
    """A title or name as a spreadsheet cell that is never run as a formula (a title may start
    with "=", "+", "-" or "@")."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _sales_report_csv(report: SalesReport) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sales-{report.start}-{report.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["day", "orders", "revenue", "refunds"])
    for day in report.days:
        writer.writerow([day.day.isoformat(), day.orders, day.revenue, day.refunds])
    writer.writerow([])
    writer.writerow(["product_id", "product", "units", "revenue"])
    for row in report.top_products:
        writer.writerow([row["product_id"], _csv_text(row["title"]), row["units"], row["revenue"]])
    writer.writerow([])
    writer.writerow(["note_id", "note", "creator", "units", "revenue"])
    for row in report.top_notes:
        writer.writerow(
            [
                row["source_note_id"],
                _csv_text(row["source_note__title"]),
                _csv_text(row["source_note__author__username"]),
                row["units"],
                row["revenue"],
            ]
        )
    return response


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders change only through their actions (mall.services.orders): never by editing."""

    list_display = ("number", "buyer", "status", "total_shown", "created_at", "paid_at")
    list_filter = ("status", "payment_provider", ("created_at", admin.DateFieldListFilter))
    search_fields = ("number", "buyer__username", "ship_name", "ship_phone", "tracking_number")
    list_select_related = ("buyer",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (OrderLineInline, RefundInline, OrderEventInline)
    actions = ("ship", "mark_delivered", "refund", "decline_refund")
    readonly_fields = [field.name for field in Order._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list:
        report = path(
            "sales-report/",
            self.admin_site.admin_view(self.sales_report_view),
            name="mall_order_sales_report",
        )
        return [report, *super().get_urls()]

    def sales_report_view(self, request: HttpRequest) -> HttpResponse:
        """Orders, revenue and refunds per day for a range, the top products and notes; the
        same as CSV with ?format=csv. Staff who may view orders only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SalesReportForm(request.GET or None)
        start, end = form.range()
        report = sales_report(start=start, end=end)
        if request.GET.get("format") == "csv":
            return _sales_report_csv(report)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sales report"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "csv_query": urlencode({"start": start, "end": end, "format": "csv"}),
        }
        return TemplateResponse(request, "mall/admin/sales_report.html", context)

    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_shown(self, order: Order) -> str:
        return format_money(order.total)

    def _report(self, request: HttpRequest, changed: int) -> None:
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d order updated.", "%(count)d orders updated.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )

    def _with_form(
        self, request: HttpRequest, queryset: QuerySet[Order], form_class, action: str, act
    ) -> HttpResponse | None:
        """An action that first asks for details (carrier and tracking, a refund amount)."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            changed = apply_one_by_one(
                self, request, queryset, act=lambda order: act(order, form.cleaned_data), label=str
            )
            self._report(request, changed)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": self.get_actions(request)[action][2],
            "orders": queryset,
            "form": form,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "mall/admin/order_action.html", context)

    @admin.action(description=gettext_lazy("Ship…"), permissions=("change",))
    def ship(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        return self._with_form(
            request,
            queryset,
            ShipForm,
            "ship",
            lambda order, data: services.order_ship(actor=request.user, order_id=order.pk, **data),
        )

    @admin.action(description=gettext_lazy("Mark delivered"), permissions=("change",))
    def mark_delivered(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        changed = apply_one_by_one(
            self,
            request,
            queryset,
            act=lambda order: services.order_mark_delivered(actor=request.user, order_id=order.pk),
            label=str,
        )
        self._report(request, changed)

    @admin.action(description=gettext_lazy("Refund…"), permissions=("change",))
    def refund(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        def act(order: Order, data: dict) -> None:
            try:
                services.order_refund(
                    actor=request.user,
                    order_id=order.pk,
                    amount=data["amount"],
                    restock=data["restock"],
                )
            except stripe.StripeError as error:  # reported like a rule's refusal
                raise ValidationError(error.user_message or str(error)) from error

        return self._with_form(request, queryset, RefundForm, "refund", act)

    @admin.action(description=gettext_lazy("Decline refund request"), permissions=("change",))
    def decline_refund(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        changed = apply_one_by_one(
            self,
            request,
            queryset,
            act=lambda order: services.order_refund_decline(actor=request.user, order_id=order.pk),
            label=str,
        )
        self._report(request, changed)


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "type", "event_id", "order", "outcome")
    list_filter = ("provider", "type")
    search_fields = ("event_id", "order__number")
    list_select_related = ("order",)
    ordering = ("-received_at", "-id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- Promotions: saved through mall.services.promotions, whose models hold the rules.


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_at", "ends_at")
    search_fields = ("name",)

    def save_model(
        self, request: HttpRequest, campaign: Campaign, form: forms.Form, change: bool
    ) -> None:
        services.campaign_save(actor=request.user, campaign=campaign)


class FlashSaleForm(forms.ModelForm):
    """Runs the sale's rules (mall.models.FlashSale.clean) so a refusal shows on the form."""

    class Meta:
        model = FlashSale
        fields = ("sku", "campaign", "price", "starts_at", "ends_at", "quota", "per_user_limit")


@admin.register(FlashSale)
class FlashSaleAdmin(admin.ModelAdmin):
    form = FlashSaleForm
    list_display = ("sku", "price", "starts_at", "ends_at", "quota", "remaining", "campaign")
    list_filter = ("campaign",)
    search_fields = ("sku__code", "sku__product__title")
    raw_id_fields = ("sku",)
    readonly_fields = ("remaining",)
    date_hierarchy = "starts_at"

    def save_model(
        self, request: HttpRequest, sale: FlashSale, form: forms.Form, change: bool
    ) -> None:
        services.flash_sale_save(actor=request.user, sale=sale)


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "starts_at", "ends_at", "used_count", "total_uses")
    list_filter = ("kind", "is_claimable", "campaign")
    search_fields = ("name", "code")
    filter_horizontal = ("brands", "categories")
    readonly_fields = ("used_count",)

    def save_model(
        self, request: HttpRequest, coupon: Coupon, form: forms.Form, change: bool
    ) -> None:
        services.coupon_save(
            actor=request.user,
            coupon=coupon,
            brands=form.cleaned_data.get("brands"),
            categories=form.cleaned_data.get("categories"),
        )

    def save_related(self, request: HttpRequest, form: forms.Form, formsets, change: bool) -> None:
        """Not form.save_m2m(): the service saved the brands and categories with the coupon."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(admin.ModelAdmin):
    list_display = ("coupon", "buyer", "order", "amount", "created_at")
    raw_id_fields = ("coupon", "buyer", "order")
    list_select_related = ("coupon", "buyer", "order")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
