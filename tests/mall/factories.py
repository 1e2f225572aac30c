"""factory-boy factories of the mall: brands, categories, products with SKUs and photos,
addresses. Prices are Decimal strings, never floats."""

from decimal import Decimal

import factory
from django.utils import timezone

from mall.models import Address, Brand, Category, Product, ProductImage, Sku
from mall.services import product_prices_refresh
from tests.factories import image_upload


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class ProductFactory(factory.django.DjangoModelFactory):
    """A product on sale with one SKU (¥99.00, 10 in stock) and one photo.

    `skus=[{"price": "12.50", "stock": 3}, …]` gives other SKUs, `images=0` no photo; the
    product's price is then copied from its SKUs as the services do.
    """

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Product {n}")
    description = "Soft, light and made to last."
    brand = factory.SubFactory(BrandFactory)
    category = factory.SubFactory(CategoryFactory)
    status = Product.Status.ACTIVE
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def images(self, create: bool, extracted: int | None, **kwargs: object) -> None:
        if create:
            for position in range(1 if extracted is None else extracted):
                ProductImageFactory(product=self, position=position)

    @factory.post_generation
    def skus(self, create: bool, extracted: list[dict] | None, **kwargs: object) -> None:
        if not create:
            return
        for position, fields in enumerate(extracted if extracted is not None else [{}]):
            SkuFactory(product=self, position=position, **fields)
        product_prices_refresh(product_id=self.pk)
        self.refresh_from_db()


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory, skus=[])
    code = factory.Sequence(lambda n: f"SKU-{n:05d}")
    attributes = factory.LazyFunction(lambda: {"Size": "M"})
    price = Decimal("99.00")
    stock = 10

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> Sku:
        for name in ("price", "compare_at_price"):
            if isinstance(kwargs.get(name), str):
                kwargs[name] = Decimal(kwargs[name])
        return super()._create(model_class, *args, **kwargs)


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory, images=0)
    position = 0
    image = factory.LazyFunction(lambda: image_upload(size=(80, 80)))
    width = 80
    height = 80


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    owner = None
    name = "小红"
    phone = "138 0013 8000"
    province = "上海市"
    city = "上海市"
    district = "静安区"
    street = "南京西路 1266 号"
    is_default = True
