"""Who may reach what: every URL pattern and every API operation, tried as three people.

The two tables below ARE the documentation of access. Each row is a route (a page's URL name, or
an API path from the OpenAPI schema), each entry "METHOD subject": the answer to (anonymous,
stranger, owner). A route that is in the URLconf or the schema but not in its table fails
`test_every_route_and_operation_has_an_expectation`: a new route cannot ship without saying who
may use it.

People:
- anonymous: signed out.
- stranger: another ordinary, active account.
- owner: wrote the note, the draft or the comment; made the board; is the profile. For a route
  about nothing in particular (no subject), simply another signed-in account.

Subjects (what the URL's parameter names, all made for the owner):
- note: a published note; draft: a draft; hidden note: a published note whose author was then
  deactivated (banned).
- board / private board / hidden board: likewise for boards.
- comment: the owner's comment on a third person's note.
- profile / hidden profile: the owner's account, active or deactivated.
- tag: a tag on the owner's note. reset link: a valid password-reset link for the owner.
- product / draft product: a product of the mall on sale, or not yet (nobody's in particular).
- cart line, address, order: the owner's (the order placed and awaiting payment).
- message: a message to the owner (someone followed them).

A deactivated owner's old session no longer signs anyone in, so "hidden" rows read the same in
the owner column as in the anonymous one.

Answers: 200/201/204 done (or the form to do it), 302 a redirect (to log in when signed out,
else back to a page), 400 refused input or state, 403 may see but not change (the API also
answers 403 to a signed-out writer, see core/schema.py), 404 may not see (or nothing there), 405
method not allowed. CSRF is not checked here (the test clients skip it); every real POST needs
its token.

Not walked, on purpose:
- admin/: the staff screens have Django's own permission system (tests/*/test_admin.py).
- i18n/: Django's set_language, which only stores a language choice.
- media/: uploaded files, served by Django only in development; a proxy or object storage
  serves them in production.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from drf_spectacular.generators import SchemaGenerator

from mall.models import Order, Product
from mall.services import cart_add, order_place
from notes.models import Note
from notes.services import comment_create
from tests.factories import (
    PASSWORD,
    BoardFactory,
    NoteFactory,
    UserFactory,
    image_upload,
)
from tests.mall.factories import AddressFactory, ProductFactory
from tests.mall.promotions import coupon as coupon_made
from users.services import user_follow

NOT_WALKED = ("admin/", "i18n/", "media/")

# --- Pages: URL name → {"METHOD subject": (anonymous, stranger, owner)}.
# Most pages only read and answer POST like GET; CSRF refuses a real POST without its token.

PAGES: dict[str, dict[str, tuple[int, int, int]]] = {
    # Home feeds, profiles.
    "community:home": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    # Probes for the load balancer: open to all, they reveal nothing but "up" and what is down.
    "healthz": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "readyz": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:not_interested": {
        "GET note": (302, 405, 405),
        "POST note": (302, 302, 302),
        "POST draft": (302, 404, 302),
        "POST hidden note": (302, 404, 302),
    },
    "community:follow": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:hot": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:hot_strip": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:search": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:search_suggest": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:search_history_clear": {"GET": (302, 405, 405), "POST": (302, 302, 302)},
    "community:onboarding": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "community:onboarding_skip": {"GET": (302, 405, 405), "POST": (302, 302, 302)},
    "community:onboarding_creators": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "community:nearby": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "community:account_close": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    # One's own data: a copy of the signed-in account's, never anyone else's.
    "community:account_data": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "community:account_data_download": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "community:profile": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
        "POST profile": (405, 405, 405),
    },
    # Accounts.
    "users:signup": {"GET": (200, 302, 302), "POST": (200, 302, 302)},
    "users:login": {"GET": (200, 302, 302), "POST": (302, 302, 302)},
    "users:logout": {"GET": (405, 405, 405), "POST": (302, 302, 302)},
    "users:profile_edit": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "users:password_change": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "users:password_reset": {"GET": (200, 200, 200), "POST": (200, 200, 200)},
    "users:password_reset_done": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "users:password_reset_confirm": {
        "GET reset link": (302, 302, 302),
        "POST reset link": (302, 302, 302),
    },
    "users:password_reset_complete": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "users:follow": {
        "GET profile": (405, 405, 405),
        "POST profile": (302, 302, 302),
        "POST hidden profile": (404, 404, 404),
    },
    "users:unfollow": {
        "GET profile": (405, 405, 405),
        "POST profile": (302, 302, 302),
        "POST hidden profile": (404, 404, 404),
    },
    "users:followers": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
        "POST profile": (405, 405, 405),
    },
    "users:following": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
        "POST profile": (405, 405, 405),
    },
    # The reader's own growth, points and messages.
    "me:growth": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "me:sign_in": {"GET": (302, 405, 405), "POST": (302, 302, 302)},
    "me:points": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "me:messages": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "me:messages_read": {"GET": (302, 405, 405), "POST": (302, 302, 302)},
    "me:message_settings": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "me:message_open": {"GET message": (302, 404, 302), "POST message": (302, 404, 302)},
    # Notes: writing, reading, changing.
    "notes:create": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "notes:detail": {
        "GET note": (200, 200, 200),
        "GET draft": (404, 404, 200),
        "GET hidden note": (404, 404, 404),
        "POST note": (405, 405, 405),
    },
    "notes:more_from_author": {
        "GET note": (200, 200, 200),
        "GET draft": (404, 404, 200),
        "GET hidden note": (404, 404, 404),
        "POST note": (405, 405, 405),
    },
    "notes:edit": {
        "GET note": (302, 403, 200),
        "GET draft": (302, 404, 200),
        "GET hidden note": (302, 404, 302),
        "POST note": (302, 403, 200),
        "POST draft": (302, 404, 200),
    },
    "notes:delete": {
        "GET note": (302, 403, 200),
        "GET draft": (302, 404, 200),
        "GET hidden note": (302, 404, 302),
        "POST note": (302, 403, 302),
        "POST draft": (302, 404, 302),
    },
    # Interactions: POST only; a signed-out reader is sent to log in first.
    **{
        f"notes:{action}": {
            "GET note": (302, 405, 405),
            "POST note": (302, 302, 302),
            "POST draft": (302, 404, 302),
            "POST hidden note": (302, 404, 302),
        }
        for action in (
            "like",
            "unlike",
            "bookmark",
            "unbookmark",
            "repost",
            "unrepost",
            "follow_author",
            "read",
        )
    },
    "notes:comment_create": {
        "GET note": (302, 405, 405),
        "POST note": (302, 302, 302),
        "POST draft": (302, 404, 200),
        "POST hidden note": (302, 404, 302),
    },
    "notes:comment_delete": {"GET comment": (302, 405, 405), "POST comment": (302, 403, 302)},
    "notes:comment_like": {"GET comment": (302, 405, 405), "POST comment": (302, 302, 302)},
    # Numbers of one's own notes (tests/notes/test_note_numbers.py).
    "notes:creator_centre": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    # A brand's partnerships: only brand accounts have them.
    "notes:partnerships": {"GET": (302, 404, 404), "POST": (405, 405, 405)},
    "notes:partnership_decline": {"GET note": (405, 405, 405), "POST note": (302, 404, 404)},
    # Reporting: the form for anyone signed in but the author, who is sent back to the note.
    "notes:comment_report": {"GET comment": (302, 200, 302), "POST comment": (302, 302, 302)},
    "notes:report": {
        "GET note": (302, 200, 302),
        "GET draft": (302, 404, 302),
        "GET hidden note": (302, 404, 302),
        "POST note": (302, 302, 302),
    },
    "notes:comment_unlike": {"GET comment": (302, 405, 405), "POST comment": (302, 302, 302)},
    "notes:save": {
        "GET note": (302, 200, 200),
        "GET draft": (302, 404, 302),
        "GET hidden note": (302, 404, 302),
        "POST note": (302, 302, 302),
        "POST draft": (302, 404, 302),
        "POST hidden note": (302, 404, 302),
    },
    "notes:comment_replies": {"GET comment": (200, 200, 200), "POST comment": (405, 405, 405)},
    "notes:tag": {"GET tag": (200, 200, 200), "POST tag": (405, 405, 405)},
    "notes:places": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    # Boards.
    "notes:board_create": {"GET": (302, 200, 200), "POST": (302, 302, 302)},
    "notes:board": {
        "GET board": (200, 200, 200),
        "GET private board": (404, 404, 200),
        "GET hidden board": (404, 404, 404),
        "POST board": (405, 405, 405),
    },
    "notes:board_edit": {
        "GET board": (302, 403, 200),
        "GET private board": (302, 404, 200),
        "GET hidden board": (302, 404, 302),
        "POST board": (302, 403, 302),
        "POST private board": (302, 404, 302),
    },
    "notes:board_delete": {
        "GET board": (302, 403, 200),
        "GET private board": (302, 404, 200),
        "POST board": (302, 403, 302),
        "POST private board": (302, 404, 302),
    },
    # The mall: reading is open; a cart, addresses and orders are their owner's alone.
    "mall:home": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "mall:products": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "mall:product": {
        "GET product": (200, 200, 200),
        "GET draft product": (404, 404, 404),
        "POST product": (405, 405, 405),
    },
    "mall:note_products": {
        "GET note": (302, 403, 200),
        "GET draft": (302, 404, 200),
        "GET hidden note": (302, 404, 302),
        "POST note": (405, 405, 405),
    },
    **{
        f"mall:note_product_{action}": {
            "GET note": (302, 405, 405),
            "POST note": (302, 403, 302),
            "POST draft": (302, 404, 302),
            "POST hidden note": (302, 404, 302),
        }
        for action in ("attach", "detach")
    },
    "mall:cart": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "mall:cart_add": {"GET": (302, 405, 405), "POST": (302, 302, 302)},
    **{
        route: {"GET cart line": (302, 405, 405), "POST cart line": (302, 404, 302)}
        for route in ("mall:cart_line_update", "mall:cart_line_remove")
    },
    "mall:checkout": {"GET": (302, 302, 302), "POST": (302, 302, 302)},
    "mall:addresses": {"GET": (302, 200, 200), "POST": (302, 200, 200)},
    "mall:address_edit": {"GET address": (302, 404, 200), "POST address": (302, 404, 200)},
    **{
        route: {"GET address": (302, 405, 405), "POST address": (302, 404, 302)}
        for route in ("mall:address_delete", "mall:address_default")
    },
    "mall:orders": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    "mall:order": {"GET order": (302, 404, 200), "POST order": (405, 405, 405)},
    "mall:order_pay_demo": {"GET order": (302, 404, 200), "POST order": (302, 404, 302)},
    **{
        route: {"GET order": (302, 405, 405), "POST order": (302, 404, 302)}
        for route in (
            "mall:order_pay",
            "mall:order_cancel",
            "mall:order_confirm_receipt",
            "mall:order_refund_request",
        )
    },
    # Stripe's webhook: refused here, where Stripe is not configured (tests/mall/test_stripe.py).
    "mall:stripe_webhook": {"GET": (405, 405, 405), "POST": (404, 404, 404)},
    # Coupons: a buyer's wallet is theirs; claiming needs signing in (a coupon that cannot be
    # claimed is a message, back on the page).
    # Reviewing an order line: the buyer's alone; an order not yet delivered goes back to it.
    "mall:order_review": {"GET order line": (302, 404, 302), "POST order line": (302, 404, 302)},
    "mall:coupons": {"GET": (302, 200, 200), "POST": (405, 405, 405)},
    # A brand's sales by note: only an account running a brand store has one (none here).
    "mall:brand_sales": {"GET": (302, 404, 404), "POST": (405, 405, 405)},
    "mall:coupon_claim": {"GET coupon": (302, 405, 405), "POST coupon": (302, 302, 302)},
    # The API's own description.
    "api-schema": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
    "api-docs": {"GET": (200, 200, 200), "POST": (405, 405, 405)},
}

# --- API: OpenAPI path → {"METHOD subject": (anonymous, stranger, owner)}.
# Reads are open to signed-out callers, writes need signing in (403 without, never 401).

API: dict[str, dict[str, tuple[int, int, int]]] = {
    "/api/v1/": {"GET": (200, 200, 200)},
    "/api/v1/auth/token/": {"POST": (200, 200, 200)},
    "/api/v1/me/": {"GET": (403, 200, 200), "PATCH": (403, 200, 200)},
    "/api/v1/me/notes/": {"GET": (403, 200, 200)},
    "/api/v1/me/growth/": {"GET": (403, 200, 200)},
    "/api/v1/me/sign-ins/": {"GET": (403, 200, 200), "POST": (403, 201, 201)},
    "/api/v1/me/points/": {"GET": (403, 200, 200)},
    "/api/v1/notifications/": {"GET": (403, 200, 200)},
    "/api/v1/notifications/unread/": {"GET": (403, 200, 200)},
    "/api/v1/notifications/read/": {"POST": (403, 200, 200)},
    "/api/v1/users/{username}/": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
    },
    "/api/v1/users/{username}/follow/": {
        "POST profile": (403, 201, 400),
        "POST hidden profile": (403, 404, 403),
        "DELETE profile": (403, 204, 204),
    },
    "/api/v1/users/{username}/followers/": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
    },
    "/api/v1/users/{username}/following/": {
        "GET profile": (200, 200, 200),
        "GET hidden profile": (404, 404, 404),
    },
    "/api/v1/notes/": {"GET": (200, 200, 200), "POST": (403, 201, 201)},
    "/api/v1/notes/{note_id}/": {
        "GET note": (200, 200, 200),
        "GET draft": (404, 404, 200),
        "GET hidden note": (404, 404, 404),
        "PATCH note": (403, 403, 200),
        "PATCH draft": (403, 404, 200),
        "PATCH hidden note": (403, 404, 403),
        "DELETE note": (403, 403, 204),
        "DELETE draft": (403, 404, 204),
        "DELETE hidden note": (403, 404, 403),
    },
    **{
        f"/api/v1/notes/{{note_id}}/{action}/": {
            "POST note": (403, 201, 201),
            "POST draft": (403, 404, 400),
            "POST hidden note": (403, 404, 403),
            "DELETE note": (403, 200, 200),
            "DELETE draft": (403, 404, 200),
            "DELETE hidden note": (403, 404, 403),
        }
        for action in ("like", "bookmark", "repost")
    },
    "/api/v1/notes/{note_id}/comments/": {
        "GET note": (200, 200, 200),
        "GET draft": (404, 404, 200),
        "GET hidden note": (404, 404, 404),
        "POST note": (403, 201, 201),
        "POST draft": (403, 404, 400),
        "POST hidden note": (403, 404, 403),
    },
    "/api/v1/comments/{comment_id}/": {"DELETE comment": (403, 403, 204)},
    "/api/v1/comments/{comment_id}/replies/": {"GET comment": (200, 200, 200)},
    "/api/v1/comments/{comment_id}/like/": {
        "POST comment": (403, 201, 201),
        "DELETE comment": (403, 200, 200),
    },
    "/api/v1/comments/{comment_id}/report/": {"POST comment": (403, 201, 400)},
    "/api/v1/notes/{note_id}/report/": {
        "POST note": (403, 201, 400),
        "POST draft": (403, 404, 400),
        "POST hidden note": (403, 404, 403),
    },
    "/api/v1/boards/": {"GET": (403, 200, 200), "POST": (403, 201, 201)},
    "/api/v1/boards/{board_id}/": {
        "GET board": (200, 200, 200),
        "GET private board": (404, 404, 200),
        "GET hidden board": (404, 404, 404),
        "PATCH board": (403, 403, 200),
        "PATCH private board": (403, 404, 200),
        "DELETE board": (403, 403, 204),
        "DELETE private board": (403, 404, 204),
    },
    "/api/v1/boards/{board_id}/notes/": {
        "GET board": (200, 200, 200),
        "GET private board": (404, 404, 200),
        "GET hidden board": (404, 404, 404),
    },
    "/api/v1/feeds/discover/": {"GET": (200, 200, 200)},
    "/api/v1/feeds/discover/notes/{note_id}/not-interested/": {
        "POST note": (403, 201, 201),
        "POST draft": (403, 404, 400),
        "POST hidden note": (403, 404, 403),
    },
    "/api/v1/feeds/follow/": {"GET": (403, 200, 200)},
    "/api/v1/feeds/nearby/": {"GET": (200, 200, 200)},
    "/api/v1/places/": {"GET": (200, 200, 200)},
    "/api/v1/mall/categories/": {"GET": (200, 200, 200)},
    "/api/v1/mall/brands/": {"GET": (200, 200, 200)},
    "/api/v1/mall/products/": {"GET": (200, 200, 200)},
    **{
        path: {"GET product": (200, 200, 200), "GET draft product": (404, 404, 404)}
        for path in (
            "/api/v1/mall/products/{product_id}/",
            "/api/v1/mall/products/{product_id}/notes/",
        )
    },
    "/api/v1/mall/notes/{note_id}/products/": {
        "GET note": (200, 200, 200),
        "GET draft": (404, 404, 200),
        "GET hidden note": (404, 404, 404),
        "PUT note": (403, 403, 200),
        "PUT draft": (403, 404, 200),
        "PUT hidden note": (403, 404, 403),
    },
    "/api/v1/mall/promotions/": {"GET": (200, 200, 200)},
    "/api/v1/mall/cart/": {"GET": (403, 200, 200)},
    "/api/v1/mall/cart/lines/": {"POST": (403, 400, 400)},
    "/api/v1/mall/cart/lines/{line_id}/": {
        "PATCH cart line": (403, 404, 200),
        "DELETE cart line": (403, 404, 204),
    },
    "/api/v1/mall/checkout/": {"GET": (403, 200, 200)},
    "/api/v1/mall/addresses/": {"GET": (403, 200, 200), "POST": (403, 201, 201)},
    "/api/v1/mall/addresses/{address_id}/": {
        "GET address": (403, 404, 200),
        "PATCH address": (403, 404, 200),
        "DELETE address": (403, 404, 204),
    },
    "/api/v1/mall/coupons/": {"GET": (403, 200, 200)},
    "/api/v1/mall/coupons/on-offer/": {"GET": (200, 200, 200)},
    "/api/v1/mall/coupons/{coupon_id}/claim/": {"POST coupon": (403, 201, 201)},
    "/api/v1/mall/orders/": {"GET": (403, 200, 200), "POST": (403, 400, 400)},
    "/api/v1/mall/orders/{number}/": {"GET order": (403, 404, 200)},
    "/api/v1/mall/orders/{number}/cancel/": {"POST order": (403, 404, 200)},
    "/api/v1/mall/orders/{number}/refund-request/": {"POST order": (403, 404, 400)},
    "/api/v1/mall/orders/{number}/payment/": {"POST order": (403, 404, 200)},
    "/api/v1/hot/": {"GET": (200, 200, 200)},
    "/api/v1/search/": {"GET": (200, 200, 200)},
    "/api/v1/search/creators/": {"GET": (200, 200, 200)},
    "/api/v1/search/products/": {"GET": (200, 200, 200)},
    "/api/v1/onboarding/topics/": {"GET": (403, 200, 200)},
    "/api/v1/onboarding/interests/": {"POST": (403, 400, 400)},
    "/api/v1/onboarding/skip/": {"POST": (403, 204, 204)},
    "/api/v1/me/close/": {"POST": (403, 400, 400)},
    "/api/v1/me/data/": {"GET": (403, 200, 200)},
    "/api/v1/me/creator/": {"GET": (403, 200, 200)},
    "/api/v1/me/partnerships/": {"GET": (403, 403, 403)},
    "/api/v1/onboarding/creators/": {"GET": (403, 200, 200)},
}

ACTORS = ("anonymous", "stranger", "owner")


# --- What each request sends, beyond its URL: enough for the owner's request to succeed.

PAGE_DATA = {
    "users:login": {"username": "owner", "password": PASSWORD},
    "notes:comment_create": {"body": "Nice"},
    "notes:report": {"reason": "spam"},
    "notes:comment_report": {"reason": "spam"},
    "notes:board_create": {"name": "Trips"},
    "notes:board_edit": {"name": "Renamed"},
}

API_DATA = {
    ("/api/v1/auth/token/", "POST"): lambda: {"username": "owner", "password": PASSWORD},
    ("/api/v1/me/", "PATCH"): lambda: {"bio": "Hello"},
    ("/api/v1/notes/", "POST"): lambda: {
        "title": "Hotpot",
        "images": [image_upload()],
        "publish": "true",
    },
    ("/api/v1/notes/{note_id}/", "PATCH"): lambda: {"title": "New title"},
    ("/api/v1/notes/{note_id}/comments/", "POST"): lambda: {"body": "Nice"},
    ("/api/v1/notes/{note_id}/report/", "POST"): lambda: {"reason": "spam"},
    ("/api/v1/comments/{comment_id}/report/", "POST"): lambda: {"reason": "spam"},
    ("/api/v1/boards/", "POST"): lambda: {"name": "Trips"},
    ("/api/v1/boards/{board_id}/", "PATCH"): lambda: {"name": "Renamed"},
    ("/api/v1/mall/notes/{note_id}/products/", "PUT"): lambda: {"products": []},
    ("/api/v1/mall/cart/lines/{line_id}/", "PATCH"): lambda: {"quantity": 1},
    ("/api/v1/mall/addresses/", "POST"): lambda: {
        "name": "小红",
        "phone": "13800138000",
        "province": "上海市",
        "city": "上海市",
        "street": "南京西路 1 号",
    },
    ("/api/v1/mall/addresses/{address_id}/", "PATCH"): lambda: {"city": "杭州市"},
    ("/api/v1/mall/orders/{number}/refund-request/", "POST"): lambda: {"reason": "Too small"},
}

MULTIPART = {("/api/v1/notes/", "POST")}

API_QUERY = {
    "/api/v1/feeds/nearby/": {"lat": "31.23", "lng": "121.47"},
    "/api/v1/places/": {"q": "上海"},
    "/api/v1/search/": {"q": "火锅"},
}


def deactivate(person) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])


def _reset_link(owner) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        "token": default_token_generator.make_token(owner),
    }


def _tagged(owner) -> dict:
    note = NoteFactory(author=owner, images=0)
    note.tags.add("travel")
    return {"slug": "travel"}


def _hidden(make):
    def hidden(owner) -> dict:
        kwargs = make(owner)
        deactivate(owner)
        return kwargs

    return hidden


def _message_for(owner) -> int:
    """A message to the owner: someone followed them."""
    follower = UserFactory(username="fan")
    user_follow(actor=follower, followee=owner)
    return owner.notifications.get().pk


def _note(owner) -> dict:
    return {"note_id": NoteFactory(author=owner).pk}


def _board(owner, **fields) -> dict:
    return {"board_id": BoardFactory(owner=owner, **fields).pk}


def _order(owner) -> dict:
    """The owner's order, placed and awaiting payment."""
    cart_add(actor=owner, sku_id=ProductFactory().skus.get().pk)
    address = AddressFactory(owner=owner)
    return {"number": order_place(actor=owner, address_id=address.pk).number}


def _order_line(owner) -> dict:
    """A line of the owner's order awaiting payment (not yet reviewable)."""
    number = _order(owner)["number"]
    return {"number": number, "line_id": Order.objects.get(number=number).lines.get().pk}


SUBJECTS = {
    "": lambda owner: {},
    "note": _note,
    "draft": lambda owner: {
        "note_id": NoteFactory(
            author=owner, status=Note.Status.DRAFT, published_at=None, images=0
        ).pk
    },
    "hidden note": _hidden(_note),
    "board": _board,
    "private board": lambda owner: _board(owner, is_private=True),
    "hidden board": _hidden(_board),
    "comment": lambda owner: {
        "comment_id": comment_create(author=owner, note_id=NoteFactory(images=0).pk, body="Hi").pk
    },
    "profile": lambda owner: {"username": owner.username},
    "hidden profile": _hidden(lambda owner: {"username": owner.username}),
    "tag": _tagged,
    "message": lambda owner: {"notification_id": _message_for(owner)},
    "reset link": _reset_link,
    "product": lambda owner: {"product_id": ProductFactory().pk},
    "draft product": lambda owner: {
        "product_id": ProductFactory(status=Product.Status.DRAFT, published_at=None).pk
    },
    "cart line": lambda owner: {
        "line_id": cart_add(actor=owner, sku_id=ProductFactory().skus.get().pk).pk
    },
    "address": lambda owner: {"address_id": AddressFactory(owner=owner).pk},
    "order": _order,
    "order line": _order_line,
    "coupon": lambda owner: {"coupon_id": coupon_made(code="", is_claimable=True).pk},
}


def _cases(table: dict) -> list:
    cases = []
    for route, entries in table.items():
        for entry, answers in entries.items():
            method, _space, subject = entry.partition(" ")
            for actor, expected in zip(ACTORS, answers, strict=True):
                case = (route, method, subject, actor, expected)
                cases.append(pytest.param(*case, id=f"{route} {entry} as {actor}"))
    return cases


def _sign_in(client, actor: str):
    """The owner and a stranger exist for every case; `client` signs in as `actor`."""
    owner = UserFactory(username="owner")
    stranger = UserFactory(username="stranger")
    if actor != "anonymous":
        client.force_login({"owner": owner, "stranger": stranger}[actor])
    return owner


# --- The walk.


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, name) of every URL pattern, resolved recursively from the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name or route


def openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_route_and_operation_has_an_expectation(schema):
    missing = []
    for route, name in url_patterns():
        if route.startswith(NOT_WALKED):
            continue
        if route.startswith("api/v1/"):
            path = openapi_path(route)
            methods = {method.upper() for method in schema["paths"].get(path, {})}
            if not methods:
                missing.append(f"{path}: an API route the schema does not document")
            documented = {entry.partition(" ")[0] for entry in API.get(path, {})}
            missing += [f"{method} {path}" for method in sorted(methods - documented)]
        else:
            documented = {entry.partition(" ")[0] for entry in PAGES.get(name, {})}
            missing += [
                f"{method} {name}" for method in ("GET", "POST") if method not in documented
            ]

    assert missing == []


def test_the_tables_name_only_routes_and_operations_that_exist(schema):
    names = {name for _route, name in url_patterns()}
    operations = {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops}

    assert sorted(set(PAGES) - names) == []
    assert [
        f"{entry} {path}"
        for path, entries in API.items()
        for entry in entries
        if (path, entry.partition(" ")[0]) not in operations
    ] == []


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "subject", "actor", "expected"), _cases(PAGES))
def test_page_answers_as_the_table_says(client, route, method, subject, actor, expected):
    # given
    owner = _sign_in(client, actor)
    url = reverse(route, kwargs=SUBJECTS[subject](owner))
    data = PAGE_DATA.get(route, {}) if method == "POST" else {}
    # when
    response = getattr(client, method.lower())(url, data)
    # then
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "subject", "actor", "expected"), _cases(API))
def test_api_answers_as_the_table_says_and_the_schema_documents_it(
    make_api_client, schema, path, method, subject, actor, expected
):
    # given
    client = make_api_client()
    owner = _sign_in(client, actor)
    url = path.format(**SUBJECTS[subject](owner))
    if method == "GET":
        data, send_as = API_QUERY.get(path, {}), None
    else:
        data = API_DATA.get((path, method), dict)()
        send_as = "multipart" if (path, method) in MULTIPART else "json"
    # when
    response = getattr(client, method.lower())(url, data or None, format=send_as)
    # then
    assert response.status_code == expected
    assert str(expected) in schema["paths"][path][method.lower()]["responses"]


# --- The convention the schema states: 403 without a challenge, never 401.


@pytest.mark.django_db
def test_no_credentials_where_signing_in_is_required_is_403_without_a_challenge(anonymous):
    response = anonymous.get("/api/v1/me/")

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response.headers


@pytest.mark.django_db
def test_a_wrong_token_is_403_even_where_signing_in_is_optional(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    response = anonymous.get("/api/v1/feeds/discover/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid token."}
