"""The catalogue's verbs, for staff (the admin) and the demo seeder: brands, categories,
products, their photos and SKUs. Stock changes by a difference, never by overwriting the count,
so a staff edit cannot undo what buyers took meanwhile.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import ImageProcessingError, Variants, variants_delete, variants_make
from core.locks import lock_row
from core.uploads import inspect_image
from mall.models import Brand, Category, Product, ProductImage, Sku
from mall.services.search import products_search_update
from users.models import User

# Filled in by the seeder and bench from their own counts, never by staff.
STAFF_EXCLUDED_FIELDS = ("price", "compare_at_price", "sold_count", "published_at")


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff can change the catalogue."))


@transaction.atomic
def brand_save(*, actor: User, brand: Brand) -> Brand:
    _require_staff(actor)
    brand.full_clean()
    brand.save()
    products_search_update(product_ids=brand.products.values_list("pk", flat=True))
    return brand


@transaction.atomic
def category_save(*, actor: User, category: Category) -> Category:
    _require_staff(actor)
    category.full_clean()
    category.save()
    products_search_update(
        product_ids=Product.objects.filter(
            Q(category=category) | Q(category__parent=category)
        ).values_list("pk", flat=True)
    )
    return category


@transaction.atomic
def product_save(*, actor: User, product: Product) -> Product:
    """Create or change a product; going on sale for the first time dates it (newest first)."""
    _require_staff(actor)
    if product.status == Product.Status.ACTIVE and product.published_at is None:
        product.published_at = timezone.now()
    product.full_clean(exclude=STAFF_EXCLUDED_FIELDS)
    if product.pk is None:
        product.save()
    else:
        fields = [
            field.name
            for field in Product._meta.concrete_fields
            if not field.primary_key and field.name not in STAFF_EXCLUDED_FIELDS
        ]
        product.save(update_fields=[*fields, "published_at"])
    product_prices_refresh(product_id=product.pk)
    products_search_update(product_ids=[product.pk])
    return product


def product_prices_refresh(*, product_id: int) -> None:
    """Copy the cheapest SKU's price (and its compare-at price) onto the product.

    Active SKUs first; a product with none shows its cheapest SKU anyway (it says sold out).
    """
    skus = Sku.objects.filter(product_id=product_id).order_by("-is_active", "price", "id")
    cheapest = skus.values("price", "compare_at_price").first() or {
        "price": 0,
        "compare_at_price": None,
    }
    Product.objects.filter(pk=product_id).update(**cheapest)


@transaction.atomic
def sku_save(*, actor: User, sku: Sku, stock_change: int = 0) -> Sku:
    """Create an SKU with its stock, or change one; `stock_change` adds to (or takes from) the
    stock as it stands in the database now."""
    _require_staff(actor)
    sku.full_clean(exclude=("stock",) if sku.pk else ())
    if sku.pk is None:
        sku.save()
    else:
        fields = [
            field.name
            for field in Sku._meta.concrete_fields
            if not field.primary_key and field.name != "stock"
        ]
        sku.save(update_fields=fields)
        if stock_change:
            sku.stock = sku_stock_adjust(actor=actor, sku_id=sku.pk, change=stock_change)
    product_prices_refresh(product_id=sku.product_id)
    return sku


@transaction.atomic
def sku_stock_adjust(*, actor: User, sku_id: int, change: int) -> int:
    """Add `change` units (negative: take away) in one conditional UPDATE; returns the stock."""
    _require_staff(actor)
    skus = Sku.objects.filter(pk=sku_id)
    if change < 0:
        skus = skus.filter(stock__gte=-change)
    if not skus.update(stock=F("stock") + change):
        stock = Sku.objects.values_list("stock", flat=True).get(pk=sku_id)
        raise ValidationError(
            _("Only %(stock)d in stock: %(change)d cannot be taken away.")
            % {"stock": stock, "change": -change},
            code="stock",
        )
    return Sku.objects.values_list("stock", flat=True).get(pk=sku_id)


def product_image_check(upload: UploadedFile) -> None:
    """Raise ValidationError for an upload that is not a picture we take; writes nothing."""
    inspect_image(upload, max_bytes=settings.MALL_PRODUCT_IMAGE_MAX_BYTES)


@transaction.atomic
def product_image_add(
    *, actor: User, product_id: int, upload: UploadedFile, position: int | None = None
) -> ProductImage:
    """Store a photo under a name we pick, after checking what it really is (core.uploads)."""
    _require_staff(actor)
    product = Product.objects.get(pk=product_id)
    existing = product.images.count()
    if existing >= settings.MALL_PRODUCT_IMAGES_MAX:
        raise ValidationError(
            _("A product has at most %(max)d photos.") % {"max": settings.MALL_PRODUCT_IMAGES_MAX},
            code="too_many_images",
        )
    inspect_image(upload, max_bytes=settings.MALL_PRODUCT_IMAGE_MAX_BYTES)
    picture = ProductImage(product=product, position=existing if position is None else position)
    _product_image_store(picture, _product_image_variants(upload))
    picture.save()
    return picture


def _product_image_variants(source) -> Variants:
    """The photo through the image pipeline (staff upload one at a time: done in the request);
    the upload itself is never stored."""
    try:
        return variants_make(source, widths=settings.PRODUCT_IMAGE_WIDTHS, folder="mall")
    except ImageProcessingError:
        raise ValidationError(
            _("This picture could not be processed. Try another one."), code="not_processed"
        ) from None


def _product_image_store(picture: ProductImage, made: Variants) -> None:
    old_name, old_files = picture.image.name, picture.variants
    picture.image.name, picture.variants = made.master, made.files
    picture.width, picture.height, picture.placeholder_colour = made.width, made.height, made.colour

    def delete_old() -> None:
        variants_delete(old_files)
        if old_name and old_name not in {entry["jpeg"] for entry in old_files}:
            default_storage.delete(old_name)  # a photo from before the pipeline

    transaction.on_commit(delete_old)


@transaction.atomic
def product_image_variants_make(*, image_id: int) -> None:
    """Rebuild a product photo's variants from its current file (rebuild_media)."""
    if not ProductImage.objects.filter(pk=image_id).exists():
        return
    picture = lock_row(ProductImage.objects, pk=image_id)
    with picture.image.open("rb") as source:
        made = _product_image_variants(source)
    _product_image_store(picture, made)
    picture.save(update_fields=["image", "width", "height", "variants", "placeholder_colour"])


@transaction.atomic
def product_image_move(*, actor: User, image_id: int, position: int) -> None:
    _require_staff(actor)
    ProductImage.objects.filter(pk=image_id).update(position=position)


@transaction.atomic
def product_image_delete(*, actor: User, image_id: int) -> None:
    """Delete the row now and its file once the deletion has committed."""
    _require_staff(actor)
    picture = ProductImage.objects.filter(pk=image_id).first()
    if picture is None:
        return
    name, files = picture.image.name, picture.variants
    picture.delete()
    transaction.on_commit(lambda: (variants_delete(files), default_storage.delete(name)))
