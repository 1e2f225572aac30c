"""A copy of everything an account put into Hongshu, as one JSON document: the right to a copy
of one's personal information (PIPL art. 45, GDPR art. 15 and 20).

It spans the apps (profile, follows, points; notes, comments, likes, saves, boards, searches,
reports; addresses, orders, coupons), so it lives at the community level. Read-only: a
selector, streamed a section and a row at a time (`iterator` with its prefetches, chunk by
chunk), so a creator with thousands of notes costs the same memory as one with three, and a
fixed number of queries per chunk of rows.

Photos and videos are listed by their address: they are already public files.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.utils import timezone

from mall.models import Address, CouponClaim, Order
from notes.models import Board, Bookmark, Comment, Like, Note, Report, Repost, SearchRecord
from users.models import Follow, PointsEntry, SignIn, User

CHUNK = 500  # rows read per query while streaming a section
FORMAT_VERSION = 1


def _file_url(field: Any) -> str | None:
    """A file's address, whole (the copy is read away from the site)."""
    if not field:
        return None
    url = field.url
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _account(account: User) -> dict:
    return {
        "username": account.username,
        "display_name": account.display_name,
        "email": account.email,
        "bio": account.bio,
        "city": account.city,
        "kind": account.kind,
        "avatar": _file_url(account.avatar),
        "date_joined": account.date_joined,
        "red_potato_level": account.red_potato_level,
        "points": account.points_balance,
        "followers": account.followers_count,
        "following": account.following_count,
    }


def _note(note: Note) -> dict:
    video = getattr(note, "video", None)
    return {
        "id": note.pk,
        "title": note.title,
        "body": note.body,
        "status": note.status,
        "tags": [tag.name for tag in note.tags.all()],
        "place": note.place_name,
        "latitude": note.latitude,
        "longitude": note.longitude,
        "sponsor": note.sponsor.username if note.sponsor else None,
        "photos": [_file_url(picture.image) for picture in note.images.all()],
        "video": _file_url(video.file) if video else None,
        "created_at": note.created_at,
        "published_at": note.published_at,
        "updated_at": note.updated_at,
        "likes": note.likes_count,
        "saves": note.bookmarks_count,
        "comments": note.comments_count,
        "reposts": note.reposts_count,
    }


def _order(order: Order) -> dict:
    return {
        "number": order.number,
        "status": order.status,
        "placed_at": order.created_at,
        "paid_at": order.paid_at,
        "lines": [
            {
                "product": line.title,
                "variant": line.sku_label,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "line_total": line.line_total,
            }
            for line in order.lines.all()
        ],
        "coupon_discount": order.coupon_discount,
        "points_used": order.points_used,
        "total": order.total,
        "refunded": order.refunded_amount,
        "ship_to": {
            "name": order.ship_name,
            "phone": order.ship_phone,
            "address": order.ship_address,
        },
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
    }


def _sections(account: User) -> Iterable[tuple[str, QuerySet, Callable[[Model], dict]]]:
    """Each section's name, its rows (oldest first) and what each row becomes."""
    return (
        (
            "following",
            Follow.objects.filter(follower=account).select_related("followee").order_by("pk"),
            lambda f: {"username": f.followee.username, "since": f.created_at},
        ),
        (
            "followers",
            Follow.objects.filter(followee=account).select_related("follower").order_by("pk"),
            lambda f: {"username": f.follower.username, "since": f.created_at},
        ),
        (
            "notes",
            Note.objects.filter(author=account)
            .select_related("sponsor", "video")
            .prefetch_related("images", "tags")
            .order_by("pk"),
            _note,
        ),
        (
            "comments",
            Comment.objects.filter(author=account).select_related("note").order_by("pk"),
            lambda c: {
                "id": c.pk,
                "note": c.note_id,
                "note_title": c.note.title,
                "reply_to": c.parent_id,
                "body": c.body,
                "created_at": c.created_at,
            },
        ),
        (
            "likes",
            Like.objects.filter(user=account).select_related("note").order_by("pk"),
            lambda like: {"note": like.note_id, "title": like.note.title, "at": like.created_at},
        ),
        (
            "boards",
            Board.objects.filter(owner=account).order_by("pk"),
            lambda b: {
                "id": b.pk,
                "name": b.name,
                "description": b.description,
                "private": b.is_private,
                "created_at": b.created_at,
            },
        ),
        (
            "saves",
            Bookmark.objects.filter(user=account).select_related("note").order_by("pk"),
            lambda s: {
                "note": s.note_id,
                "title": s.note.title,
                "board": s.board_id,
                "at": s.created_at,
            },
        ),
        (
            "reposts",
            Repost.objects.filter(user=account).select_related("note").order_by("pk"),
            lambda r: {"note": r.note_id, "title": r.note.title, "at": r.created_at},
        ),
        (
            "searches",
            SearchRecord.objects.filter(reader=account).order_by("pk"),
            lambda s: {"query": s.text, "at": s.created_at},
        ),
        (
            "reports",
            Report.objects.filter(reporter=account).order_by("pk"),
            lambda r: {
                "reported": r.kind,
                "what": r.excerpt,
                "reason": r.reason,
                "detail": r.detail,
                "outcome": r.outcome,
                "at": r.created_at,
            },
        ),
        (
            "sign_ins",
            SignIn.objects.filter(account=account).order_by("pk"),
            lambda s: {"day": s.day, "days_in_a_row": s.streak, "points": s.points},
        ),
        (
            "points",
            PointsEntry.objects.filter(account=account).order_by("pk"),
            lambda p: {
                "amount": p.amount,
                "balance_after": p.balance_after,
                "reason": p.reason,
                "note": p.note,
                "at": p.created_at,
            },
        ),
        (
            "addresses",
            Address.objects.filter(owner=account).order_by("pk"),
            lambda a: {
                "name": a.name,
                "phone": a.phone,
                "province": a.province,
                "city": a.city,
                "district": a.district,
                "street": a.street,
                "default": a.is_default,
            },
        ),
        (
            "orders",
            Order.objects.filter(buyer=account).prefetch_related("lines").order_by("pk"),
            _order,
        ),
        (
            "coupons",
            CouponClaim.objects.filter(owner=account).select_related("coupon").order_by("pk"),
            lambda c: {"coupon": c.coupon.name, "claimed_at": c.claimed_at},
        ),
    )


def account_data_filename(account: User) -> str:
    return f"hongshu-{account.username}-{timezone.localdate():%Y%m%d}.json"


def account_data(account: User) -> Iterator[str]:
    """The account's data as JSON text, in pieces to stream: {"format", "exported_at",
    "account", then one list per section}."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    head = {"format": FORMAT_VERSION, "exported_at": timezone.now(), "account": _account(account)}
    yield encoder.encode(head)[:-1]  # the object stays open for the sections
    for name, rows, shaped in _sections(account):
        yield f", {json.dumps(name)}: ["
        for index, row in enumerate(rows.iterator(chunk_size=CHUNK)):
            yield ("," if index else "") + "\n" + encoder.encode(shaped(row))
        yield "]"
    yield "}\n"
