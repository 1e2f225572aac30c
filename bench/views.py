"""The ceiling: a page as large as Discover, rendered from a template with no database access.

Served through the same middleware and server as every page, so a page's throughput divided
by the ceiling's says how much of the time is the page's own work, on any machine.

`?user=1` names the signed-in reader in the page, as every page's header does: the session
and the account are loaded (two queries). That is the ceiling of any signed-in page, the
part of a signed-in page's cost that is not its own work.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines

CARD = (
    '<article class="card"><a class="card__media" href="/notes/{{ forloop.counter }}/">'
    '<img src="/media/bench/pool-00.jpg" width="480" height="640" alt="{{ title }}" '
    'loading="lazy"></a><div class="card__body"><h3 class="card__title">'
    '<a href="/notes/{{ forloop.counter }}/">{{ title }}</a></h3><div class="card__meta">'
    '<a class="card__author" href="/u/bench00001/">{{ author }}</a></div></div></article>'
)
TEMPLATE = (
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
    "<title>{{ title }}</title></head><body><header>{{ reader }}</header>"
    '<main class="waterfall">'
    "{% for _ in cards %}" + CARD + "{% endfor %}"
    "<p hidden>{{ filler }}</p></main></body></html>"
)
CARDS = 20
MAX_BYTES = 2_000_000


def ceiling(request: HttpRequest) -> HttpResponse:
    """`?bytes=N`: twenty cards, padded to N bytes (the size of the page compared with)."""
    try:
        wanted = min(max(int(request.GET.get("bytes", "0")), 0), MAX_BYTES)
    except ValueError:
        wanted = 0
    template = engines["django"].from_string(TEMPLATE)
    reader = request.user.get_username() if request.GET.get("user") == "1" else ""
    context = {
        "title": "红薯笔记",
        "author": "红薯1号",
        "cards": range(CARDS),
        "filler": "",
        "reader": reader,
    }
    bare = len(template.render(context, request).encode())
    context["filler"] = "x" * max(0, wanted - bare)
    return HttpResponse(template.render(context, request))
