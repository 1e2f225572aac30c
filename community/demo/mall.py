"""The demo mall: brands, categories and products with drawn photos, product links on some demo
notes, a few past orders of the demo account, and a week-long campaign with flash sales and
coupons, all through mall.services.

The catalogue is made once and kept across `seed_demo --reset` (other accounts' orders may
name its products); links and the demo account's orders are made again each time. The
campaign is kept while it has more than a day to run, else a new week starts. It draws from its
own `random.Random`, so the rest of the demo data is the same with or without it.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.demo import images
from mall import services as mall_services
from mall.models import Brand, Campaign, Category, Coupon, FlashSale, Product, Sku
from notes.models import Note
from users.models import User

SKU_PREFIX = "HS-"
PRODUCTS_MAX = 60
LINKED_NOTE_SHARE = 0.15
NEARLY_SOLD_OUT_SHARE = 0.1

# slug, name, children as (slug, name)
CATEGORIES = (
    ("beauty", "美妆", (("skincare", "护肤"), ("makeup", "彩妆"))),
    ("outfits", "穿搭", (("tops", "上衣"), ("bags", "包袋"))),
    ("food", "美食", (("snacks", "零食"), ("drinks", "茶饮咖啡"))),
    ("travel", "旅行", (("luggage", "箱包"), ("outdoor", "户外装备"))),
    ("home", "家居", (("decor", "家饰"), ("kitchen", "厨房"))),
    ("fitness", "运动", (("yoga", "瑜伽"), ("running", "跑步"))),
)

# slug, name, account username (content.BRANDS) or "", origin
BRANDS = (
    ("camellia-lab", "山茶实验室 Camellia Lab", "camellia_lab", "中国"),
    ("wildlight", "轻野户外 Wildlight", "wildlight", "中国"),
    ("noodle-house", "一碗面 Noodle House", "noodle_house", "中国"),
    ("hanami", "花见 Hanami", "", "日本"),
    ("suyi", "素衣 Suyi", "", "中国"),
    ("northisle", "北屿家居 Northisle", "", "丹麦"),
    ("dawnrun", "晨跑 Dawnrun", "", "韩国"),
    ("nutshop", "果仁铺 Nutshop", "", "澳大利亚"),
)


@dataclass(frozen=True)
class ProductPlan:
    topic: str
    category: str
    brand: str
    title: str
    caption: str  # Latin, for pictures drawn without a CJK font
    price: int  # yuan
    attribute: str
    values: tuple[str, ...]


PRODUCTS = (
    ProductPlan(
        "beauty",
        "skincare",
        "camellia-lab",
        "山茶花保湿精华",
        "Serum",
        189,
        "规格",
        ("30ml", "50ml"),
    ),
    ProductPlan(
        "beauty", "skincare", "camellia-lab", "温和氨基酸洁面", "Cleanser", 79, "规格", ("100g",)
    ),
    ProductPlan(
        "beauty",
        "makeup",
        "hanami",
        "丝绒雾面口红",
        "Lipstick",
        129,
        "色号",
        ("正红", "豆沙", "奶茶"),
    ),
    ProductPlan(
        "beauty", "makeup", "hanami", "樱花气垫粉底", "Cushion", 239, "色号", ("象牙白", "自然色")
    ),
    ProductPlan("beauty", "skincare", "hanami", "清透防晒乳", "Sunscreen", 149, "规格", ("60ml",)),
    ProductPlan(
        "outfits", "tops", "suyi", "亚麻宽松衬衫", "Linen shirt", 259, "尺码", ("S", "M", "L")
    ),
    ProductPlan(
        "outfits", "tops", "suyi", "纯棉基础白T", "Cotton tee", 89, "尺码", ("S", "M", "L", "XL")
    ),
    ProductPlan("outfits", "bags", "suyi", "帆布托特包", "Tote bag", 159, "颜色", ("米白", "燕麦")),
    ProductPlan("outfits", "bags", "suyi", "通勤小方包", "Mini bag", 329, "颜色", ("黑色", "焦糖")),
    ProductPlan(
        "food", "snacks", "nutshop", "每日坚果礼盒", "Nut mix", 99, "规格", ("15包", "30包")
    ),
    ProductPlan("food", "snacks", "nutshop", "海盐夏威夷果", "Macadamia", 59, "规格", ("250g",)),
    ProductPlan(
        "food", "drinks", "noodle-house", "手工骨汤面礼盒", "Noodles", 128, "口味", ("原味", "麻辣")
    ),
    ProductPlan(
        "food", "drinks", "nutshop", "冷萃咖啡液", "Cold brew", 69, "口味", ("经典", "燕麦")
    ),
    ProductPlan(
        "travel", "luggage", "wildlight", "轻量登机箱", "Carry-on", 699, "颜色", ("雾蓝", "燕麦白")
    ),
    ProductPlan(
        "travel", "outdoor", "wildlight", "防风冲锋衣", "Shell jacket", 899, "尺码", ("S", "M", "L")
    ),
    ProductPlan(
        "travel", "outdoor", "wildlight", "折叠露营椅", "Camp chair", 199, "颜色", ("墨绿", "卡其")
    ),
    ProductPlan(
        "home", "decor", "northisle", "北欧陶瓷花瓶", "Vase", 159, "颜色", ("雾白", "灰蓝")
    ),
    ProductPlan("home", "kitchen", "northisle", "橡木砧板", "Board", 229, "尺寸", ("中号", "大号")),
    ProductPlan("home", "decor", "northisle", "香薰蜡烛", "Candle", 99, "香型", ("雪松", "白茶")),
    ProductPlan(
        "fitness", "yoga", "dawnrun", "天然橡胶瑜伽垫", "Yoga mat", 299, "颜色", ("紫罗兰", "薄荷")
    ),
    ProductPlan(
        "fitness", "running", "dawnrun", "轻薄速干跑步T恤", "Run tee", 139, "尺码", ("S", "M", "L")
    ),
    ProductPlan("fitness", "running", "wildlight", "反光腰包", "Run belt", 89, "颜色", ("黑色",)),
)


# The campaign: a week of flash sales, a new one every morning, and coupons to claim or type.
CAMPAIGN_NAME = "福利社好物节"
CAMPAIGN_TAGLINE = "限时购每天 10 点上新 · 领券满 199 减 20 · 结算输入 HONGSHU10 立减 10 元"
CAMPAIGN_DAYS = 7
CAMPAIGN_KEPT_WHILE = timedelta(days=1)  # left to run, for `--reset` to keep the campaign
SALES_FIRST_DAY = 3
SALES_PER_DAY = 2
SALE_OPENS_AT_HOUR = 10  # local time


def sale_windows(now: datetime, *, ends: datetime) -> list[tuple[datetime, datetime]]:
    """The campaign's daily flash-sale windows, from 10:00 (local) to 10:00 the next day, until
    `ends`. The window running now opened an hour ago, so the strip has sales on at once; the
    next opens at the coming 10:00, so it is always within a day (shown as coming soon),
    whatever the hour the demo is seeded."""
    latest_opening = timezone.localtime(now).replace(
        hour=SALE_OPENS_AT_HOUR, minute=0, second=0, microsecond=0
    )
    if latest_opening > now:  # before 10:00: the window running now opened yesterday
        latest_opening -= timedelta(days=1)
    windows = []
    for day in range(CAMPAIGN_DAYS):
        opens = latest_opening + timedelta(days=day)
        starts_at = now - timedelta(hours=1) if day == 0 else opens
        ends_at = min(opens + timedelta(days=1), ends)
        if ends_at > max(starts_at, now):
            windows.append((starts_at, ends_at))
    return windows


SALE_PRICE_SHARE = Decimal("0.7")
CODE_COUPON = "HONGSHU10"
BRAND_COUPON_BRAND = "camellia-lab"


@dataclass
class MallReport:
    products: int = 0
    products_made: int = 0
    links: int = 0
    orders: int = 0
    flash_sales: int = 0
    coupons: int = 0


class MallSeeder:
    def __init__(self, *, seed: int, staff: User, demo: User, notes: list[tuple[Note, str]]):
        self.rng = random.Random(seed + 11)  # noqa: S311 - demo data only needs to be repeatable
        self.staff = staff
        self.demo = demo
        self.notes = notes  # published notes and their topics
        self.cjk = images.has_cjk_font()
        self.report = MallReport()

    def run(self) -> MallReport:
        categories = self._categories()
        brands = self._brands()
        products = self._products(categories, brands)
        self.report.products = len(products)
        self._link(products)
        self._orders(products)
        self._promotions(products)
        return self.report

    def _categories(self) -> dict[str, Category]:
        made = {}
        for position, (slug, name, children) in enumerate(CATEGORIES):
            top = Category.objects.filter(slug=slug).first() or mall_services.category_save(
                actor=self.staff, category=Category(slug=slug, name=name, position=position)
            )
            made[slug] = top
            for child_position, (child_slug, child_name) in enumerate(children):
                made[child_slug] = Category.objects.filter(
                    slug=child_slug
                ).first() or mall_services.category_save(
                    actor=self.staff,
                    category=Category(
                        slug=child_slug, name=child_name, parent=top, position=child_position
                    ),
                )
        return made

    def _brands(self) -> dict[str, Brand]:
        accounts = {user.username: user for user in User.objects.filter(kind=User.Kind.BRAND)}
        made = {}
        for slug, name, username, _origin in BRANDS:
            brand = Brand.objects.filter(slug=slug).first() or Brand(slug=slug, name=name)
            account = accounts.get(username)
            if brand.pk is None or (account is not None and brand.account_id != account.pk):
                brand.account = account
                mall_services.brand_save(actor=self.staff, brand=brand)
            made[slug] = brand
        return made

    def _products(self, categories: dict, brands: dict) -> list[tuple[Product, str]]:
        existing = list(
            Product.objects.filter(skus__code__startswith=SKU_PREFIX).distinct().order_by("pk")
        )
        if existing:
            topics = {slug: topic for topic, _name, children in CATEGORIES for slug, _n in children}
            return [(product, topics.get(product.category.slug, "home")) for product in existing]
        wanted = min(PRODUCTS_MAX, max(len(PRODUCTS), len(self.notes) // 6))
        made = []
        for index in range(wanted):
            plan = PRODUCTS[index % len(PRODUCTS)]
            edition = index // len(PRODUCTS)
            made.append((self._product(plan, edition, categories, brands), plan.topic))
        self.report.products_made = len(made)
        return made

    def _product(self, plan: ProductPlan, edition: int, categories: dict, brands: dict) -> Product:
        editions = ("", " 限定款", " 旅行装")
        origin = next(origin for slug, _n, _u, origin in BRANDS if slug == plan.brand)
        product = mall_services.product_save(
            actor=self.staff,
            product=Product(
                title=f"{plan.title}{editions[edition % len(editions)]}",
                description=f"{plan.title}：福利社正品保障，{origin}直采，七天无理由退换。",
                brand=brands[plan.brand],
                category=categories[plan.category],
                origin_country=origin,
                status=Product.Status.ACTIVE,
                is_featured=self.rng.random() < 0.15,
            ),
        )
        for position in range(self.rng.choice((1, 1, 2))):
            caption = plan.title[:6] if self.cjk else plan.caption
            data = images.note_picture(topic=plan.topic, ratio="1:1", caption=caption, rng=self.rng)
            upload = SimpleUploadedFile(f"p{position}.jpg", data, content_type="image/jpeg")
            mall_services.product_image_add(actor=self.staff, product_id=product.pk, upload=upload)
        for position, value in enumerate(plan.values):
            price = Decimal(plan.price + 10 * position + 20 * edition)
            on_sale = self.rng.random() < 0.3
            nearly_gone = self.rng.random() < NEARLY_SOLD_OUT_SHARE
            mall_services.sku_save(
                actor=self.staff,
                sku=Sku(
                    product=product,
                    code=f"{SKU_PREFIX}{product.pk:04d}-{position + 1}",
                    attributes={plan.attribute: value},
                    price=price,
                    compare_at_price=(price * Decimal("1.25")).quantize(Decimal("1"))
                    if on_sale
                    else None,
                    stock=self.rng.randint(1, 3) if nearly_gone else self.rng.randint(20, 200),
                    per_order_limit=5 if plan.topic == "beauty" else None,
                    position=position,
                ),
            )
        return product

    def _link(self, products: list[tuple[Product, str]]) -> None:
        """Link one or two products of the note's topic from about 15 % of published notes."""
        by_topic: dict[str, list[Product]] = {}
        for product, topic in products:
            by_topic.setdefault(topic, []).append(product)
        for note, topic in self.notes:
            candidates = by_topic.get(topic)
            if not candidates or self.rng.random() >= LINKED_NOTE_SHARE:
                continue
            chosen = self.rng.sample(candidates, min(len(candidates), self.rng.choice((1, 1, 2))))
            mall_services.note_products_set(
                actor=note.author, note_id=note.pk, product_ids=[product.pk for product in chosen]
            )
            self.report.links += len(chosen)

    def _orders(self, products: list[tuple[Product, str]]) -> None:
        """Past orders of the demo account, one in each state a buyer meets."""
        address = mall_services.address_create(
            actor=self.demo,
            name="红薯体验官",
            phone="138 0013 8000",
            province="上海市",
            city="上海市",
            district="静安区",
            street="南京西路 1266 号",
        )
        steps = ("completed", "shipped", "paid", "cancelled", "pending")
        for step in steps:
            product, _topic = self.rng.choice(products)
            sku = product.skus.filter(is_active=True, stock__gt=1).first()
            if sku is None:
                continue
            mall_services.cart_add(actor=self.demo, sku_id=sku.pk)
            order = mall_services.order_place(actor=self.demo, address_id=address.pk)
            self.report.orders += 1
            if step == "cancelled":
                mall_services.order_cancel(actor=self.demo, number=order.number)
                continue
            if step == "pending":
                continue
            mall_services.order_mark_paid(
                order_id=order.pk,
                provider="demo",
                payment_reference=f"demo-{order.number}",
                notify_buyer=False,
            )
            if step in ("shipped", "completed"):
                mall_services.order_ship(
                    actor=self.staff,
                    order_id=order.pk,
                    carrier="顺丰速运",
                    tracking_number=f"SF{self.rng.randint(10**11, 10**12 - 1)}",
                    notify_buyer=False,
                )
            if step == "completed":
                mall_services.order_confirm_receipt(actor=self.demo, number=order.number)

    def _promotions(self, products: list[tuple[Product, str]]) -> None:
        """The running campaign, or a new week of it; the demo account claims its coupon."""
        now = timezone.now()
        campaign = (
            Campaign.objects.filter(name=CAMPAIGN_NAME, ends_at__gt=now + CAMPAIGN_KEPT_WHILE)
            .order_by("-ends_at")
            .first()
        )
        if campaign is None:
            campaign = mall_services.campaign_save(
                actor=self.staff,
                campaign=Campaign(
                    name=CAMPAIGN_NAME,
                    tagline=CAMPAIGN_TAGLINE,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(days=CAMPAIGN_DAYS),
                ),
            )
            self._flash_sales(products, campaign, now)
            self._coupons(campaign)
        everyone = campaign.coupons.filter(is_claimable=True, brands__isnull=True).first()
        if everyone is not None:
            mall_services.coupon_claim(actor=self.demo, coupon_id=everyone.pk)
        self.report.flash_sales = campaign.flash_sales.count()
        self.report.coupons = campaign.coupons.count()

    def _flash_sales(
        self, products: list[tuple[Product, str]], campaign: Campaign, now: datetime
    ) -> None:
        """Each day of the campaign new SKUs go on sale at 10:00 for a day; the first day's
        open now, so the 限时购 strip has sales on and sales coming all week."""
        by_product = [
            list(product.skus.filter(is_active=True, stock__gte=20)) for product, _t in products
        ]
        self.rng.shuffle(by_product)
        # One SKU of each product first, so the strip shows different products; popped from
        # the end.
        skus = [sku for skus in by_product for sku in skus[:1]]
        skus += [sku for skus in by_product for sku in skus[1:]]
        skus.reverse()
        for day, (starts_at, ends_at) in enumerate(sale_windows(now, ends=campaign.ends_at)):
            for _sale in range(SALES_FIRST_DAY if day == 0 else SALES_PER_DAY):
                sku = self._sku_free(skus, starts_at, ends_at)
                if sku is None:
                    return
                price = (sku.price * SALE_PRICE_SHARE).quantize(Decimal("1"), ROUND_DOWN)
                mall_services.flash_sale_save(
                    actor=self.staff,
                    sale=FlashSale(
                        sku=sku,
                        campaign=campaign,
                        price=price,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        quota=self.rng.choice((20, 30, 50)),
                        per_user_limit=self.rng.choice((1, 2)),
                    ),
                )

    @staticmethod
    def _sku_free(skus: list[Sku], starts_at: datetime, ends_at: datetime) -> Sku | None:
        """The next SKU with no sale of its own in that window (a SKU's sales cannot overlap)."""
        while skus:
            sku = skus.pop()
            taken = FlashSale.objects.filter(sku=sku, starts_at__lt=ends_at, ends_at__gt=starts_at)
            if not taken.exists():
                return sku
        return None

    def _coupons(self, campaign: Campaign) -> None:
        """One to claim for everyone, one for a brand, one to type at checkout (kept from an
        earlier week: its code is unique, so its window moves to this one)."""
        window = {"starts_at": campaign.starts_at, "ends_at": campaign.ends_at}
        mall_services.coupon_save(
            actor=self.staff,
            coupon=Coupon(
                name="好物节满 199 减 20",
                amount=Decimal(20),
                min_spend=Decimal(199),
                total_uses=1000,
                is_claimable=True,
                campaign=campaign,
                **window,
            ),
        )
        brand = Brand.objects.filter(slug=BRAND_COUPON_BRAND).first()
        if brand is not None:
            mall_services.coupon_save(
                actor=self.staff,
                coupon=Coupon(
                    name=f"{brand.name} 85 折券",
                    kind=Coupon.Kind.PERCENT,
                    percent=15,
                    max_discount=Decimal(40),
                    total_uses=300,
                    is_claimable=True,
                    campaign=campaign,
                    **window,
                ),
                brands=[brand],
            )
        typed = Coupon.objects.filter(code=CODE_COUPON).first() or Coupon(
            name="新人礼满 59 减 10", code=CODE_COUPON, amount=Decimal(10), min_spend=Decimal(59)
        )
        typed.campaign = campaign
        typed.starts_at, typed.ends_at = window["starts_at"], window["ends_at"]
        mall_services.coupon_save(actor=self.staff, coupon=typed)


def mall_demo_reset(*, user_ids: list[int]) -> int:
    """Before demo accounts are deleted: their orders go (orders protect their buyer)."""
    return mall_services.orders_delete_for_accounts(user_ids=user_ids)
