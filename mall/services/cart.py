"""The buyer's cart and address book. Signed-in buyers only: a cart follows its owner across
devices and the API, and checkout needs an account anyway.

What may be bought, and how many, is decided once, by mall.models.purchase_problem: the cart
page, checkout and order placement all ask it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from core.locks import lock_row
from mall.models import Address, CartLine, NoteProduct, Sku, purchase_problem
from users import services as user_services
from users.models import User


def quantity_check(quantity: int) -> None:
    """Zero, negative or absurd quantities are refused whatever the stock."""
    limit = settings.MALL_LINE_QUANTITY_MAX
    if quantity < 1:
        raise ValidationError(_("Choose at least 1."), code="quantity")
    if quantity > limit:
        raise ValidationError(_("At most %(max)d at a time.") % {"max": limit}, code="quantity")


def cart_units_sync(*, actor: User) -> int:
    """Count the units in `actor`'s cart from its rows and put the count on the account, where
    the top bar of every page reads it without a query. Called in the transaction of every
    change to the cart (adding, changing, removing, placing an order); returns the count."""
    units = CartLine.objects.filter(owner=actor).aggregate(total=Sum("quantity"))["total"] or 0
    user_services.user_cart_units_set(user_id=actor.pk, units=units)
    actor.cart_units = units
    return units


def _cart_lock(actor: User) -> None:
    """Take the buyer's account row before touching their cart: order placement takes it first
    too, so a cart change and a checkout of the same buyer wait for each other instead of each
    holding what the other needs (cart line, then the account's cart_units), and two adds at
    once count the cart's lines one after the other."""
    lock_row(User.objects.all(), pk=actor.pk)


def _sku_for_cart(sku_id: int) -> Sku:
    sku = Sku.objects.select_related("product").filter(pk=sku_id).first()
    if sku is None:
        raise ValidationError(_("This variant does not exist."), code="sku")
    return sku


def _refuse_problem(sku: Sku, quantity: int) -> None:
    problem = purchase_problem(sku, quantity)
    if problem is not None:
        raise ValidationError(
            problem.message, code="unavailable" if problem.is_unavailable else "quantity"
        )


def _linked_note_id(note_id: int | None, product_id: int) -> int | None:
    """The note the buyer came from, if it really links this product (else no attribution)."""
    if note_id is None:
        return None
    linked = NoteProduct.objects.filter(note_id=note_id, product_id=product_id).exists()
    return note_id if linked else None


@transaction.atomic
def cart_add(
    *, actor: User, sku_id: int, quantity: int = 1, source_note_id: int | None = None
) -> CartLine:
    """Put `quantity` of an SKU in the cart, on top of what is there; its price now is what the
    buyer saw. The note they came from is remembered for the order."""
    quantity_check(quantity)
    _cart_lock(actor)
    sku = _sku_for_cart(sku_id)
    line = CartLine.objects.filter(owner=actor, sku=sku).first()
    total = quantity + (line.quantity if line else 0)
    quantity_check(total)
    _refuse_problem(sku, total)
    note_id = _linked_note_id(source_note_id, sku.product_id)
    if line is None:
        if CartLine.objects.filter(owner=actor).count() >= settings.MALL_CART_LINES_MAX:
            raise ValidationError(
                _("Your cart is full (%(max)d items). Check out or remove something first.")
                % {"max": settings.MALL_CART_LINES_MAX},
                code="cart_full",
            )
        try:
            with transaction.atomic():
                line = CartLine.objects.create(
                    owner=actor,
                    sku=sku,
                    quantity=quantity,
                    price_when_added=sku.price,
                    source_note_id=note_id,
                )
            cart_units_sync(actor=actor)
            return line
        except IntegrityError:  # the same SKU added at the same moment elsewhere
            line = CartLine.objects.get(owner=actor, sku=sku)
            total = quantity + line.quantity
            quantity_check(total)
            _refuse_problem(sku, total)
    line.quantity = total
    line.price_when_added = sku.price
    fields = ["quantity", "price_when_added"]
    if note_id is not None:
        line.source_note_id = note_id
        fields.append("source_note")
    line.save(update_fields=fields)
    cart_units_sync(actor=actor)
    return line


def cart_line_get_for_owner(*, actor: User, line_id: int) -> CartLine:
    """The buyer's own line; anyone else's is a 404, so its existence is not given away."""
    line = CartLine.objects.select_related("sku__product").filter(pk=line_id, owner=actor).first()
    if line is None:
        raise Http404
    return line


@transaction.atomic
def cart_line_update(*, actor: User, line_id: int, quantity: int) -> CartLine:
    _cart_lock(actor)
    line = cart_line_get_for_owner(actor=actor, line_id=line_id)
    quantity_check(quantity)
    if quantity > line.quantity:
        _refuse_problem(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    cart_units_sync(actor=actor)
    return line


@transaction.atomic
def cart_line_remove(*, actor: User, line_id: int) -> None:
    _cart_lock(actor)
    line = cart_line_get_for_owner(actor=actor, line_id=line_id)
    line.delete()
    cart_units_sync(actor=actor)


# --- Addresses.

ADDRESS_FIELDS = ("name", "phone", "province", "city", "district", "street")


def address_get_for_owner(*, actor: User, address_id: int) -> Address:
    address = Address.objects.filter(pk=address_id, owner=actor).first()
    if address is None:
        raise Http404
    return address


def _make_default(owner: User, address: Address) -> None:
    Address.objects.filter(owner=owner, is_default=True).exclude(pk=address.pk).update(
        is_default=False
    )
    if not address.is_default:
        address.is_default = True
        Address.objects.filter(pk=address.pk).update(is_default=True)


@transaction.atomic
def address_create(
    *,
    actor: User,
    name: str,
    phone: str,
    province: str,
    city: str,
    district: str = "",
    street: str,
    is_default: bool = False,
) -> Address:
    """Add an address; the first one (or one asked to be) becomes the default."""
    existing = Address.objects.filter(owner=actor).count()
    if existing >= settings.MALL_ADDRESSES_MAX:
        raise ValidationError(
            _("You have %(max)d addresses, the most we keep. Delete one first.")
            % {"max": settings.MALL_ADDRESSES_MAX},
            code="too_many_addresses",
        )
    address = Address(
        owner=actor,
        name=name,
        phone=phone,
        province=province,
        city=city,
        district=district,
        street=street,
    )
    address.full_clean()
    address.save()
    if is_default or existing == 0:
        _make_default(actor, address)
    return address


@transaction.atomic
def address_update(
    *, actor: User, address_id: int, is_default: bool = False, **fields: str
) -> Address:
    address = address_get_for_owner(actor=actor, address_id=address_id)
    for name, value in fields.items():
        if name not in ADDRESS_FIELDS:
            raise TypeError(f"{name} is not an address field")
        setattr(address, name, value)
    address.full_clean()
    address.save(update_fields=list(fields))
    if is_default:
        _make_default(actor, address)
    return address


@transaction.atomic
def address_delete(*, actor: User, address_id: int) -> None:
    """Delete an address; orders keep their own copy. The newest other becomes the default."""
    address = address_get_for_owner(actor=actor, address_id=address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        newest = Address.objects.filter(owner=actor).order_by("-created_at", "-id").first()
        if newest is not None:
            _make_default(actor, newest)


@transaction.atomic
def address_set_default(*, actor: User, address_id: int) -> Address:
    address = address_get_for_owner(actor=actor, address_id=address_id)
    _make_default(actor, address)
    return address
