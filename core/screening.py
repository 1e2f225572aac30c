"""Finding what sends readers off the site: phone numbers, WeChat and QQ ids, e-mail
addresses, links to other sites and shop codes (淘口令).

Notes that carry them are held for a moderator (notes.services.publishing), comments are
refused (notes.services.comments): traffic that the community earned should not be smuggled
out to a private chat or another shop. Pure functions over text, no models, so any app may
screen what its users write.

The text is first folded the way people dodge filters: full-width and circled digits become
plain ones (NFKC), so do digits written in Chinese numerals (一三八, 壹叁捌) and keycap emoji
(1️⃣), zero-width characters go, and digits split by spaces, dashes or dots are read as one
number. What is left alone: numbers spelled out in words, and pictures of a QR code.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KINDS = {
    "phone": _("a phone number"),
    "wechat": _("a WeChat ID"),
    "qq": _("a QQ number"),
    "email": _("an e-mail address"),
    "link": _("a link to another site"),
    "shop_code": _("a shop code"),
}
CHOICES = list(KINDS.items())  # for serializers and the API schema

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0f\u20e3"))
# Digits written as Chinese numerals, plain and formal (大写), each read as its digit.
_CHINESE_DIGITS = {
    ord(numeral): str(digit)
    for digits in ("零一二三四五六七八九", "〇壹贰叁肆伍陆柒捌玖")
    for digit, numeral in enumerate(digits)
}
# Digits with at most one separator between each: "138 0013-8000", "138.0013.8000".
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?:[ \-.·]?\d){6,}(?![\d.]*\d)")
_SEPARATORS = re.compile(r"[ \-.·]")

# A mainland mobile (+86 or not), or a landline with its area code: 021-62345678.
_PHONE = re.compile(r"(?<!\d)(?:(?:\+?86)?1[3-9]\d{9}|0[1-9]\d{1,2}[1-9]\d{6,7})(?!\d)")
# A Latin word must end there ("vx abc123", not "vxabc123", which reads as a word of its own).
_CHAT_WORD = r"(?:微信号?|威信|薇信|徽信|v信|v[:：]|(?:vx|wx|weixin|wechat|加v|\+v)(?![a-z]))"
_WECHAT = re.compile(
    rf"(?<![a-z]){_CHAT_WORD}\s*[:：]?\s*(?P<id>[a-z][a-z0-9_-]{{5,19}}|1[3-9]\d{{9}})(?![a-z0-9_-])",
    re.IGNORECASE,
)
_WXID = re.compile(r"(?<![a-z])wxid_[a-z0-9_-]{4,}", re.IGNORECASE)  # WeChat's own id form
_QQ = re.compile(r"(?<![a-z])(?:qq|扣扣|企鹅)号?\s*[:：]?\s*(?P<id>[1-9]\d{4,10})(?!\d)", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.I)
_TLDS = "com|cn|net|org|io|co|me|cc|tv|xyz|top|shop|store|link|info|vip|club|site|online"
_LINK = re.compile(
    rf"(?:https?://[^\s<>\"']+|www\.[^\s<>\"']+|(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![a-z0-9-])(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)
# 淘口令 and its kin: letters and digits between two currency signs.
_SHOP_CODE = re.compile(
    r"[￥¥$€₤£]\s*(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]{8,14}\s*[￥¥$€₤£]", re.I
)


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of KINDS
    text: str  # what was found, as the reviewer should see it

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def _digits_read(text: str) -> str:
    """The folded text with Chinese numerals read as digits: only for finding numbers (a
    phone number is eleven of them in a row; words keep their numerals elsewhere)."""
    return text.translate(_CHINESE_DIGITS)


def _joined_digits(text: str) -> str:
    return _SPACED_DIGITS.sub(lambda match: _SEPARATORS.sub("", match.group()), text)


def _host(link: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", link, flags=re.I).split("/")[0].split("?")[0]
    return host.split(":")[0].lower().rstrip(".")


def contact_findings(text: str, *, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """What in `text` sends readers off the site, each once, in the order of KINDS.

    Links to `own_hosts` (and their subdomains) are the site's own and pass.
    """
    folded = _folded(text)
    digits = _joined_digits(_digits_read(folded))
    own = {host.lower().lstrip(".") for host in own_hosts if host and host != "*"}
    found: list[Finding] = []
    chat_ids: set[str] = set()
    for match in _WECHAT.finditer(digits):
        chat_ids.add(match.group("id"))
        found.append(Finding("wechat", match.group().strip()))
    found += [Finding("wechat", match.group()) for match in _WXID.finditer(folded)]
    for match in _QQ.finditer(digits):
        chat_ids.add(match.group("id"))
        found.append(Finding("qq", match.group().strip()))
    for match in _PHONE.finditer(digits):
        if match.group() not in chat_ids:
            found.append(Finding("phone", match.group()))
    emails = [match.group() for match in _EMAIL.finditer(folded)]
    found += [Finding("email", email) for email in emails]
    for match in _LINK.finditer(folded):
        link = match.group().rstrip(".,;:!?)）。，")
        host = _host(link)
        if any(email.endswith(host) for email in emails):
            continue  # the domain of an e-mail address already found
        if host in own or any(host.endswith(f".{mine}") for mine in own):
            continue
        found.append(Finding("link", link))
    found += [Finding("shop_code", match.group()) for match in _SHOP_CODE.finditer(folded)]
    order = list(KINDS)
    unique = dict.fromkeys(sorted(found, key=lambda finding: order.index(finding.kind)))
    return list(unique)
