"""/api/v1/search/: notes, creators and products found for a query, ranked as on the search
page (community.search); a new search (no cursor) is recorded as the page records it."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import search as community_search
from community.api import _shown
from core import search
from core.api import CURSOR, page_response, page_schema, request_cursor
from mall.api.shapes import PRODUCT_CARD_PAGE, ProductCardSerializer
from notes import services
from notes.api.shapes import NOTE_CARD_PAGE
from notes.readers import searcher_of
from users.api import PersonSerializer
from users.selectors import user_following_ids


class QuerySerializer(serializers.Serializer):
    """Any text is accepted: words are kept, syntax and punctuation dropped, long text cut."""

    q = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=True, help_text=_("What to look for.")
    )

    class Meta:
        ref_name = "SearchQuery"


class NotesQuerySerializer(QuerySerializer):
    sort = serializers.ChoiceField(choices=community_search.SORTS, default="best")

    class Meta:
        ref_name = "SearchNotesQuery"


def _found(request: Request, serializer: type[QuerySerializer]) -> tuple[search.Terms, dict]:
    params = serializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return search.terms(params.validated_data.get("q", "")), params.validated_data


def _results(request: Request, found: search.Terms, tab: str, sort: str = "best"):
    cursor = request_cursor(request)
    if cursor is None:
        actor = request.user if request.user.is_authenticated else None
        services.search_record(actor=actor, searcher=searcher_of(request), found=found)
    return community_search.search_results(
        found=found, tab=tab, sort=sort, cursor=cursor, size=settings.FEED_PAGE_SIZE
    ).page


@extend_schema(tags=["search"])
class SearchNotesApi(APIView):
    """Notes for a query: best first (relevance, quality, freshness, the author's weight; an
    exact topic first), or newest, or most liked. Only published notes."""

    @extend_schema(
        operation_id="search_notes",
        parameters=[NotesQuerySerializer, CURSOR],
        responses=NOTE_CARD_PAGE,
    )
    def get(self, request: Request) -> Response:
        found, params = _found(request, NotesQuerySerializer)
        return _shown(request, _results(request, found, "notes", params["sort"]))


@extend_schema(tags=["search"])
class SearchCreatorsApi(APIView):
    """Creators for a query, by name, handle, bio and city; bigger audiences first among equals."""

    class OutputSerializer(PersonSerializer):
        bio = serializers.CharField()
        followers_count = serializers.IntegerField()

        class Meta:
            ref_name = "SearchCreator"

    @extend_schema(
        operation_id="search_creators",
        parameters=[QuerySerializer, CURSOR],
        responses=page_schema(OutputSerializer, name="SearchCreatorPage"),
    )
    def get(self, request: Request) -> Response:
        found, _params = _found(request, QuerySerializer)
        page = _results(request, found, "creators")
        following = user_following_ids(
            actor=request.user, among=[person.pk for person in page.items]
        )
        return page_response(request, page, self.OutputSerializer, {"following_ids": following})


@extend_schema(tags=["search"])
class SearchProductsApi(APIView):
    """Products on sale for a query, by title, brand and category; best sellers first among
    equals."""

    @extend_schema(
        operation_id="search_products",
        parameters=[QuerySerializer, CURSOR],
        responses=PRODUCT_CARD_PAGE,
    )
    def get(self, request: Request) -> Response:
        found, _params = _found(request, QuerySerializer)
        return page_response(
            request, _results(request, found, "products"), ProductCardSerializer, {}
        )
