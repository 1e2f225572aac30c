"""The shape of what buyers type into the mall's pages; the rules themselves are in services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mall import selectors
from mall.models import PRODUCT_TITLE_MAX_LENGTH, Address
from mall.money import PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS

SORT_CHOICES = (
    ("popular", _("Popular")),
    ("newest", _("Newest")),
    ("price", _("Price: low to high")),
    ("-price", _("Price: high to low")),
)


def price_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class ProductFilterForm(forms.Form):
    """`?q=&category=&brand=&min_price=&max_price=&in_stock=&sort=`: a value that does not fit
    is dropped (the list shows unfiltered by it) and the form says why."""

    q = forms.CharField(label=_("Search"), required=False, max_length=PRODUCT_TITLE_MAX_LENGTH)
    category = forms.SlugField(label=_("Category"), required=False)
    brand = forms.SlugField(label=_("Brand"), required=False)
    min_price = price_field(_("Lowest price"))
    max_price = price_field(_("Highest price"))
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def clean_category(self) -> object:
        slug = self.cleaned_data["category"]
        return selectors.category_get_by_slug(slug=slug) if slug else None

    def clean_brand(self) -> object:
        slug = self.cleaned_data["brand"]
        return selectors.brand_get_by_slug(slug=slug) if slug else None

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price is below the lowest."))
            cleaned.pop("min_price", None)  # the range as a whole is ignored
        return cleaned

    def filters(self) -> selectors.ProductFilters:
        self.is_valid()
        cleaned = {
            name: value for name, value in self.cleaned_data.items() if name not in self.errors
        }
        return selectors.ProductFilters(
            query=(cleaned.get("q") or "").strip(),
            category=cleaned.get("category"),
            brand=cleaned.get("brand"),
            min_price=cleaned.get("min_price"),
            max_price=cleaned.get("max_price"),
            in_stock=bool(cleaned.get("in_stock")),
            sort=cleaned.get("sort") or selectors.DEFAULT_SORT,
        )

    def query(self) -> dict[str, str]:
        """The filters as the next page's link keeps them."""
        self.is_valid()
        keep = {}
        for name in self.fields:
            value = self.data.get(name, "")
            if value and name in self.cleaned_data:
                keep[name] = value
        return keep


class QuantityField(forms.IntegerField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Quantity"))
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", settings.MALL_LINE_QUANTITY_MAX)
        kwargs.setdefault("initial", 1)
        super().__init__(**kwargs)


class CartAddForm(forms.Form):
    """Which SKU and how many; the price is never taken from the form."""

    sku = forms.IntegerField(
        label=_("Variant"), min_value=1, error_messages={"required": _("Choose a variant.")}
    )
    quantity = QuantityField()
    note = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    buy_now = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CartLineForm(forms.Form):
    quantity = QuantityField()


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ("name", "phone", "province", "city", "district", "street", "is_default")
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}


def discounts_key(*, coupon_code: str = "", coupon_id: int | None = None, points: int = 0) -> str:
    """The coupon and points a checkout total was priced with, as the page carries them."""
    return f"{coupon_id or ''}|{coupon_code.strip().upper()}|{points or 0}"


class CheckoutForm(forms.Form):
    """The address and the total the buyer was shown: a different total on the server (a price
    changed meanwhile) stops the order so the buyer sees it before paying. `quoted` carries
    the discounts that total was priced with (`discounts_key`)."""

    address = forms.IntegerField(
        label=_("Deliver to"), error_messages={"required": _("Choose an address.")}
    )
    expected_total = forms.DecimalField(
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        widget=forms.HiddenInput,
    )
    coupon_code = forms.CharField(label=_("Coupon code"), required=False, max_length=32)
    coupon = forms.IntegerField(label=_("My coupons"), required=False, min_value=1)
    points = forms.IntegerField(
        label=_("Pay with points"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )

    def discounts_changed(self) -> bool:
        """Whether the buyer changed the coupon or points since the total they were shown: a
        code typed and "Place order" pressed at once has not been priced yet. A form from a
        page without `quoted` has only the total to go by."""
        quoted = self.data.get("quoted")
        return quoted is not None and quoted != discounts_key(**self.discounts())

    def discounts(self) -> dict:
        """The coupon and points asked for, as mall.selectors.checkout_quote takes them; what
        does not fit the form asks for none."""
        self.is_valid()
        cleaned = {
            name: value for name, value in self.cleaned_data.items() if name not in self.errors
        }
        return {
            "coupon_code": (cleaned.get("coupon_code") or "").strip(),
            "coupon_id": cleaned.get("coupon"),
            "points": cleaned.get("points") or 0,
        }


class RefundRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want a refund?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProductSearchForm(forms.Form):
    q = forms.CharField(label=_("Search products"), required=False, max_length=80)
