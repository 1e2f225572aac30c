"""The three home feeds as JSON: Discover, Follow and Nearby, card-shaped like the pages; and the
API's root, which links to every resource.

Each page is one community.selectors feed: signed keyset cursors, a fixed number of queries.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors
from core.api import CURSOR, page_response, page_schema, request_cursor
from notes.api.shapes import NOTE_CARD_PAGE, NoteCardSerializer, card_context
from notes.models import Note


@extend_schema(tags=["feeds"])
class FeedDiscoverApi(APIView):
    """Recommended notes; a signed-in reader never sees their own."""

    @extend_schema(
        operation_id="feeds_discover_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE
    )
    def get(self, request: Request) -> Response:
        page = selectors.feed_discover(
            actor=request.user, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))


@extend_schema(tags=["feeds"])
class FeedFollowApi(APIView):
    """Notes of the accounts the reader follows, newest first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="feeds_follow_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE)
    def get(self, request: Request) -> Response:
        page = selectors.feed_follow(
            actor=request.user, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))


@extend_schema(tags=["feeds"])
class FeedNearbyApi(APIView):
    """Notes near a point: the nearest 2 km ring first, the best notes first within a ring."""

    class FilterSerializer(serializers.Serializer):
        lat = serializers.FloatField(min_value=-90, max_value=90)
        lng = serializers.FloatField(min_value=-180, max_value=180)
        radius = serializers.FloatField(
            min_value=0.1,
            max_value=settings.NEARBY_MAX_RADIUS_KM,
            default=settings.NEARBY_DEFAULT_RADIUS_KM,
            help_text=_("Kilometres."),
        )

    class OutputSerializer(NoteCardSerializer):
        distance_km = serializers.SerializerMethodField()

        class Meta:
            ref_name = "NearbyNoteCard"

        def get_distance_km(self, note: Note) -> float:
            return round(note.distance_km, 1)

    @extend_schema(
        operation_id="feeds_nearby_list",
        parameters=[FilterSerializer, CURSOR],
        responses=page_schema(OutputSerializer, name="NearbyNoteCardPage"),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = selectors.feed_nearby(
            latitude=filters.validated_data["lat"],
            longitude=filters.validated_data["lng"],
            radius_km=filters.validated_data["radius"],
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(
            request, page, self.OutputSerializer, card_context(request, page.items)
        )


@extend_schema(tags=["api"])
class ApiRootApi(APIView):
    """Where to start: the API's resources, its schema and its documentation page."""

    # Each entry: (key, URL name); templated paths (a note, a person) are in the schema.
    RESOURCES = (
        ("auth_token", "users_api:token"),
        ("me", "users_api:me"),
        ("my_notes", "notes_api:my_notes"),
        ("notes", "notes_api:notes"),
        ("boards", "notes_api:boards"),
        ("places", "notes_api:places"),
        ("feed_discover", "community_api:feed_discover"),
        ("feed_follow", "community_api:feed_follow"),
        ("feed_nearby", "community_api:feed_nearby"),
        ("schema", "api-schema"),
        ("docs", "api-docs"),
    )

    @extend_schema(
        operation_id="api_root",
        responses=inline_serializer(
            name="ApiRoot",
            fields={key: serializers.URLField() for key, _name in RESOURCES},
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {key: request.build_absolute_uri(reverse(name)) for key, name in self.RESOURCES}
        )
