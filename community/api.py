"""The three home feeds as JSON: Discover, Follow and Nearby, card-shaped like the pages; and the
API's root, which links to every resource.

Each page is one community.selectors feed: signed keyset cursors, a fixed number of queries.
"""

from django.conf import settings
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors
from community import services as community_services
from community.account_views import data_download_response
from core.api import (
    CURSOR,
    page_response,
    page_schema,
    request_cursor,
    service_errors,
    set_response,
)
from core.pagination import Page
from core.throttling import AccountSettingThrottle
from notes import services
from notes.api.shapes import NOTE_CARD_PAGE, NoteCardSerializer, card_context
from notes.models import TAG_MAX_LENGTH, Note
from notes.readers import reader_of, remember_reader
from users.api import LoginRateThrottle, UserSummarySerializer


def _shown(
    request: Request,
    page: Page,
    *,
    unseen: bool = False,
    serializer: type[serializers.Serializer] = NoteCardSerializer,
) -> Response:
    """The page as JSON, its cards recorded as shown to the reader (one write for the page)."""
    reader = reader_of(request)
    services.impressions_record(
        reader_key=reader.key,
        note_ids=[note.pk for note in page.items],
        unseen=unseen or reader.is_new,
    )
    response = page_response(request, page, serializer, card_context(request, page.items))
    return remember_reader(request, response)


@extend_schema(tags=["feeds"])
class FeedDiscoverApi(APIView):
    """Recommended notes; a signed-in reader never sees their own."""

    @extend_schema(
        operation_id="feeds_discover_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE
    )
    def get(self, request: Request) -> Response:
        page = selectors.feed_discover(
            actor=request.user,
            reader_key=reader_of(request).key,
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return _shown(request, page, unseen=page.unseen)


@extend_schema(tags=["feeds"])
class FeedFollowApi(APIView):
    """Notes of the accounts the reader follows, newest first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="feeds_follow_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE)
    def get(self, request: Request) -> Response:
        page = selectors.feed_follow(
            actor=request.user, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return _shown(request, page)


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
        return _shown(request, page, serializer=self.OutputSerializer)


@extend_schema(tags=["feeds"])
class DiscoverNotInterestedApi(APIView):
    """The reader does not want notes like this one: Discover leaves it out from now on and
    lowers its tags for them. 201 the first time, 200 after."""

    permission_classes = (IsAuthenticated,)

    class OutputSerializer(serializers.Serializer):
        not_interested = serializers.BooleanField()

        class Meta:
            ref_name = "NotInterested"

    @extend_schema(
        operation_id="feeds_discover_not_interested",
        request=None,
        responses={200: OutputSerializer, 201: OutputSerializer},
    )
    def post(self, request: Request, note_id: int) -> Response:
        with service_errors():
            created = services.note_not_interested(actor=request.user, note_id=note_id)
        return set_response(self.OutputSerializer({"not_interested": True}).data, created=created)


class TopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "Topic"


@extend_schema(tags=["onboarding"])
class OnboardingTopicsApi(APIView):
    """The topics a new reader picks their first interests from."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="onboarding_topics_list", responses=TopicSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TopicSerializer(selectors.onboarding_topics(), many=True).data)


@extend_schema(tags=["onboarding"])
class OnboardingInterestsApi(APIView):
    """Pick first interests: at least settings.ONBOARDING_MIN_INTERESTS topic slugs."""

    permission_classes = (IsAuthenticated,)

    class InputSerializer(serializers.Serializer):
        interests = serializers.ListField(
            child=serializers.SlugField(max_length=TAG_MAX_LENGTH + 20, allow_unicode=True),
            max_length=50,
        )

        class Meta:
            ref_name = "InterestsChoice"

    class OutputSerializer(serializers.Serializer):
        interests = serializers.ListField(child=serializers.CharField())

        class Meta:
            ref_name = "Interests"

    @extend_schema(
        operation_id="onboarding_interests_choose",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors(field="interests"):
            services.onboarding_interests_choose(
                actor=request.user, tag_slugs=data.validated_data["interests"]
            )
        chosen = selectors.reader_top_interests(reader=request.user, limit=50)
        return Response(self.OutputSerializer({"interests": chosen}).data)


@extend_schema(tags=["onboarding"])
class OnboardingSkipApi(APIView):
    """The reader would rather just browse: onboarding is not offered again."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="onboarding_skip", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.onboarding_skip(actor=request.user)
        return Response(status=204)


@extend_schema(tags=["people"])
class AccountCloseApi(APIView):
    """Close the signed-in account for good, with its password (what goes and what stays:
    community.services.account_close). Limited per account like a log-in."""

    permission_classes = (IsAuthenticated,)
    throttle_classes = (LoginRateThrottle,)
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(trim_whitespace=False, max_length=4096)

    @extend_schema(operation_id="me_close", request=InputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        community_services.account_close(
            account=request.user, actor=request.user, password=serializer.validated_data["password"]
        )
        return Response(status=204)


class DataExportThrottle(AccountSettingThrottle):
    scope = "data_export"
    rate_setting = "RATE_LIMIT_DATA_EXPORT"


@extend_schema(tags=["people"])
class AccountDataApi(APIView):
    """A copy of everything the signed-in account put into Hongshu, as one JSON document
    (community.data_export): profile, follows, notes, comments, likes, saves, boards,
    searches, reports, points, addresses, orders and coupons. Streamed as it is read."""

    permission_classes = (IsAuthenticated,)
    throttle_classes = (DataExportThrottle,)

    @extend_schema(
        operation_id="me_data",
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> HttpResponseBase:
        return data_download_response(request.user)


@extend_schema(tags=["onboarding"])
class OnboardingCreatorsApi(APIView):
    """Creators worth following in these topics (or the reader's strongest interests)."""

    permission_classes = (IsAuthenticated,)

    class FilterSerializer(serializers.Serializer):
        topic = serializers.ListField(
            child=serializers.SlugField(max_length=TAG_MAX_LENGTH + 20, allow_unicode=True),
            required=False,
            max_length=24,
        )

    @extend_schema(
        operation_id="onboarding_creators_list",
        parameters=[FilterSerializer],
        responses=UserSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data={"topic": request.query_params.getlist("topic")})
        filters.is_valid(raise_exception=True)
        topics = filters.validated_data.get("topic") or selectors.reader_top_interests(
            reader=request.user
        )
        creators = selectors.creators_suggested(actor=request.user, tag_slugs=topics)
        return Response(UserSummarySerializer(creators, many=True).data)


class HotPlaceSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True)
    movement = serializers.ChoiceField(choices=("new", "up", "down", "same"))
    is_pinned = serializers.BooleanField()

    class Meta:
        ref_name = "HotPlace"


class HotTopicSerializer(HotPlaceSerializer):
    topic = TopicSerializer(source="tag")

    class Meta:
        ref_name = "HotTopic"


class HotNoteSerializer(HotPlaceSerializer):
    note_id = serializers.IntegerField()
    title = serializers.CharField(source="note.title")
    author = UserSummarySerializer(source="note.author")
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "HotNote"

    def get_url(self, entry) -> str:
        return self.context["request"].build_absolute_uri(entry.note.get_absolute_url())


@extend_schema(tags=["hot list"])
class HotListApi(APIView):
    """The hot list (热榜): trending topics and notes, with each place's movement."""

    class OutputSerializer(serializers.Serializer):
        topics = HotTopicSerializer(many=True)
        notes = HotNoteSerializer(many=True)

        class Meta:
            ref_name = "HotList"

    @extend_schema(operation_id="hot_list", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        hot = selectors.hot_list()
        data = self.OutputSerializer(
            {"topics": hot.topics, "notes": hot.notes}, context={"request": request}
        ).data
        return Response(data)


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
        ("search", "community_api:search"),
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
