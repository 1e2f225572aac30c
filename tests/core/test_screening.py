import pytest

from core.screening import contact_findings


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in contact_findings(text, own_hosts=["hongshu.example", "*"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("预约电话 13800138000", [("phone", "13800138000")]),
        ("电话 138 0013 8000 随时", [("phone", "13800138000")]),
        ("call 138-0013-8000", [("phone", "13800138000")]),
        ("全角 １３８００１３８０００", [("phone", "13800138000")]),
        ("零宽 138\u200b0013\u200b8000", [("phone", "13800138000")]),
        ("+86 13800138000", [("phone", "+8613800138000")]),
        ("打给一三八零零一三八零零零", [("phone", "13800138000")]),
        ("电话 壹叁捌 零零壹叁 捌零零零", [("phone", "13800138000")]),
        ("1️⃣3️⃣8️⃣0️⃣0️⃣1️⃣3️⃣8️⃣0️⃣0️⃣0️⃣", [("phone", "13800138000")]),
        ("订位 021-62345678", [("phone", "02162345678")]),
    ],
)
def test_phone_numbers_are_found_however_they_are_spelled(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加我vx: tangtang_2024", [("wechat", "vx: tangtang_2024")]),
        ("微信：hongshu2024 私聊", [("wechat", "微信:hongshu2024")]),
        ("V信 abc123 详谈", [("wechat", "V信 abc123")]),
        ("wechat li_hua_88", [("wechat", "wechat li_hua_88")]),
        ("我的 wxid_abc123", [("wechat", "wxid_abc123")]),
        ("wx 13800138000", [("wechat", "wx 13800138000")]),  # not a phone as well
        ("QQ 123456789", [("qq", "QQ 123456789")]),
        ("扣扣：12345", [("qq", "扣扣:12345")]),
    ],
)
def test_chat_ids_are_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("店铺 https://shop.taobao.com/x?id=1 有", [("link", "https://shop.taobao.com/x?id=1")]),
        ("看 www.example.org。", [("link", "www.example.org")]),
        ("短链 tb.cn/AbC", [("link", "tb.cn/AbC")]),
        ("写信 me@example.com", [("email", "me@example.com")]),
        ("￥AbCd1234Ef￥ 打开淘宝", [("shop_code", "¥AbCd1234Ef¥")]),
    ],
)
def test_links_addresses_and_shop_codes_are_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "价格¥199，原价￥1299，人均 88 元",
        "二〇二四年五月一日，一家三口，十二点半开门，第一二三排",
        "2024-05-01 10:00-22:00 营业",
        "155cm 45kg 穿S码",
        "订单号 20240501123456789",
        "@hongshu-demo 一起去",
        "Node.js 和 Vue.js 入门",
        "Lv:5 小马薯",
        "wxyz123456 是个型号",
        "#vx 话题",
        "我们的笔记 https://hongshu.example/notes/1/ 和 https://m.hongshu.example/u/a/",
    ],
)
def test_ordinary_words_prices_dates_and_our_own_links_pass(text):
    assert found(text) == []


def test_each_thing_found_once_in_a_fixed_order():
    text = "vx: tangtang_2024 或 13800138000，再说一遍 13800138000，见 www.example.org"

    assert [kind for kind, _text in found(text)] == ["phone", "wechat", "link"]
