"""The accounts API: tokens, profiles, the reader's own profile, follows and follower lists,
and the reader's growth (level and tasks, daily sign-in, points) and messages.

Also the author summary every app's API shows beside a note or comment.
"""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api import (
    CURSOR,
    page_response,
    page_schema,
    request_cursor,
    service_errors,
    set_response,
)
from core.pagination import Page
from core.throttling import ScopedRateThrottle
from users import levels, selectors, services
from users.models import Notification, PointsEntry, User
from users.notification_text import notification_plain_text
from users.rate_limits import account_key


class UserSummarySerializer(serializers.Serializer):
    """How a person appears beside a note, a comment or in a list."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    avatar = serializers.ImageField(allow_null=True)
    kind = serializers.ChoiceField(choices=User.Kind.choices)
    is_verified = serializers.BooleanField()
    red_potato_level = serializers.IntegerField()

    class Meta:
        ref_name = "UserSummary"


class PersonSerializer(UserSummarySerializer):
    """A summary plus whether the reader follows them (`following_ids` in the context)."""

    is_following = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Person"

    def get_is_following(self, person: User) -> bool:
        return person.pk in self.context.get("following_ids", set())


# --- Tokens


class LoginRateThrottle(ScopedRateThrottle):
    """Token requests per IP address, logged in or not (scope "login").

    The rate is read per request, so tests and settings changes apply at once; without a "login"
    entry in DEFAULT_THROTTLE_RATES the log-in page's per-IP limit is used.
    """

    fallback_setting = "RATE_LIMIT_LOGIN_PER_IP"
    cache_alias = "security_limits"  # counted in the database while Redis is down

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope) or getattr(settings, self.fallback_setting)

    def get_ident_for(self, request: Request) -> str | None:
        return self.get_ident(request)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        ident = self.get_ident_for(request)
        if not ident:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAccountRateThrottle(LoginRateThrottle):
    """Token requests per username: guessing one password from many addresses meets this."""

    fallback_setting = "RATE_LIMIT_LOGIN_PER_ACCOUNT"

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(f"{self.scope}_account") or getattr(settings, self.fallback_setting)

    def get_ident_for(self, request: Request) -> str | None:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        return f"account:{account_key(username)}"


@extend_schema(tags=["auth"])
@extend_schema_view(
    post=extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer(name="Token", fields={"token": serializers.CharField()}),
    )
)
class TokenObtainApi(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token <key>`).

    DRF's own token view, limited per IP address and per account like the log-in page.
    """

    throttle_classes = (LoginRateThrottle, LoginAccountRateThrottle)
    throttle_scope = "login"


# --- Profiles


@extend_schema(tags=["people"])
class UserDetailApi(APIView):
    class OutputSerializer(PersonSerializer):
        bio = serializers.CharField()
        city = serializers.CharField()
        followers_count = serializers.IntegerField()
        following_count = serializers.IntegerField()
        likes_received = serializers.IntegerField()
        bookmarks_received = serializers.IntegerField()
        likes_and_bookmarks_received = serializers.IntegerField()
        url = serializers.SerializerMethodField()

        class Meta:
            ref_name = "UserProfile"

        def get_url(self, person: User) -> str:
            return self.context["request"].build_absolute_uri(person.get_absolute_url())

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, username: str) -> Response:
        person = selectors.user_get_by_username(username=username)
        context = {"request": request, "following_ids": _following(request, [person.pk])}
        return Response(self.OutputSerializer(person, context=context).data)


@extend_schema(tags=["people"])
class MeApi(APIView):
    """The reader's own profile; PATCH changes only the fields sent (avatar as multipart)."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    class InputSerializer(serializers.Serializer):
        display_name = serializers.CharField(
            max_length=User._meta.get_field("display_name").max_length,
            allow_blank=True,
            required=False,
        )
        bio = serializers.CharField(
            max_length=User._meta.get_field("bio").max_length, allow_blank=True, required=False
        )
        city = serializers.CharField(
            max_length=User._meta.get_field("city").max_length, allow_blank=True, required=False
        )
        # Brand accounts are set up by staff: users.services refuses "brand" unless it already is.
        kind = serializers.ChoiceField(choices=User.Kind.choices, required=False)
        # Judged by content in users.services, which names the file when it is refused.
        avatar = serializers.FileField(required=False)

        class Meta:
            ref_name = "MeUpdate"

    class OutputSerializer(UserDetailApi.OutputSerializer):
        email = serializers.EmailField()
        display_name = serializers.CharField()
        points_balance = serializers.IntegerField()
        unread_notifications = serializers.IntegerField()

        class Meta:
            ref_name = "Me"

    def _respond(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user, context={"request": request}).data)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return self._respond(request)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors(field="avatar", fields_by_code={"kind": "kind"}):
            # Only the fields sent: the service keeps the others as they are.
            services.user_profile_update(user=request.user, **serializer.validated_data)
        return self._respond(request)


# --- Follows


@extend_schema(tags=["people"])
class UserFollowApi(APIView):
    """Follow (POST: 201 when new, 200 when already) and unfollow (DELETE: 204) an account."""

    class OutputSerializer(serializers.Serializer):
        is_following = serializers.BooleanField()
        followers_count = serializers.IntegerField()

        class Meta:
            ref_name = "FollowState"

    @extend_schema(request=None, responses={200: OutputSerializer, 201: OutputSerializer})
    def post(self, request: Request, username: str) -> Response:
        person = selectors.user_get_by_username(username=username)
        with service_errors():
            created = services.user_follow(actor=request.user, followee=person)
        person.refresh_from_db(fields=["followers_count"])
        data = {"is_following": True, "followers_count": person.followers_count}
        return set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, username: str) -> Response:
        person = selectors.user_get_by_username(username=username)
        services.user_unfollow(actor=request.user, followee=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _following(request: Request, among: list[int]) -> set[int]:
    return selectors.user_following_ids(actor=request.user, among=among)


def _people_page(request: Request, page: Page) -> Response:
    """One page of people from a follow list; costs the same few queries for any page size."""
    following_ids = _following(request, [person.pk for person in page.items])
    return page_response(request, page, PersonSerializer, {"following_ids": following_ids})


PERSON_PAGE = page_schema(PersonSerializer, name="PersonPage")


@extend_schema(tags=["people"])
class UserFollowersApi(APIView):
    @extend_schema(operation_id="users_followers_list", parameters=[CURSOR], responses=PERSON_PAGE)
    def get(self, request: Request, username: str) -> Response:
        person = selectors.user_get_by_username(username=username)
        page = selectors.user_followers(
            user=person, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return _people_page(request, page)


@extend_schema(tags=["people"])
class UserFollowingApi(APIView):
    @extend_schema(operation_id="users_following_list", parameters=[CURSOR], responses=PERSON_PAGE)
    def get(self, request: Request, username: str) -> Response:
        person = selectors.user_get_by_username(username=username)
        page = selectors.user_following(
            user=person, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return _people_page(request, page)


# --- Growth


class LevelTaskSerializer(serializers.Serializer):
    counter = serializers.ChoiceField(choices=list(levels.COUNTERS))
    label = serializers.CharField()
    target = serializers.IntegerField()

    class Meta:
        ref_name = "LevelTask"


class LevelSerializer(serializers.Serializer):
    """A red-potato level: what it takes to reach it and what it unlocks."""

    number = serializers.IntegerField()
    name = serializers.CharField()
    tasks = LevelTaskSerializer(many=True)
    photos_per_note = serializers.IntegerField()
    video_seconds = serializers.IntegerField()
    weight = serializers.FloatField(help_text=_("Account weight in Discover."))

    class Meta:
        ref_name = "Level"


class TaskProgressSerializer(serializers.Serializer):
    counter = serializers.CharField(source="task.counter")
    label = serializers.CharField(source="task.label")
    target = serializers.IntegerField(source="task.target")
    done = serializers.IntegerField(help_text=_("The counter, capped at the target."))

    class Meta:
        ref_name = "TaskProgress"


@extend_schema(tags=["growth"])
class GrowthApi(APIView):
    """The reader's red-potato level, progress on the next level's tasks, and own limits."""

    permission_classes = (IsAuthenticated,)

    class OutputSerializer(serializers.Serializer):
        level = LevelSerializer(source="progress.current")
        next_level = LevelSerializer(source="progress.next", allow_null=True)
        next_tasks = TaskProgressSerializer(source="progress.tasks", many=True)
        perks = serializers.SerializerMethodField()
        counters = serializers.DictField(child=serializers.IntegerField())
        levels = LevelSerializer(many=True)

        class Meta:
            ref_name = "Growth"

        @extend_schema_field(
            inline_serializer(
                name="Perks",
                fields={
                    "photos_per_note": serializers.IntegerField(),
                    "video_seconds": serializers.IntegerField(),
                },
            )
        )
        def get_perks(self, overview: selectors.GrowthOverview) -> dict:
            level = overview.progress.current
            return {"photos_per_note": level.photos_per_note, "video_seconds": level.video_seconds}

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        overview = selectors.growth_overview(actor=request.user)
        return Response(self.OutputSerializer(overview).data)


# --- Daily sign-in and points


class SignInStateSerializer(serializers.Serializer):
    today = serializers.DateField(help_text=_("Today in Asia/Shanghai, where days turn."))
    is_signed_in_today = serializers.BooleanField()
    streak = serializers.IntegerField(help_text=_("Days in a row, today included once done."))
    next_points = serializers.IntegerField(help_text=_("What the next sign-in pays."))
    rewards = serializers.SerializerMethodField(help_text=_("Points for day 1 to 7 of a streak."))
    month = serializers.SerializerMethodField(help_text=_("This month's days signed in."))
    points_balance = serializers.SerializerMethodField()

    class Meta:
        ref_name = "SignInState"

    def get_rewards(self, state: selectors.SignInState) -> list[int]:
        return [reward.points for reward in state.week]

    def get_month(self, state: selectors.SignInState) -> list[date]:
        return [cell.day for week in state.month for cell in week if cell and cell.is_signed_in]

    def get_points_balance(self, state: selectors.SignInState) -> int:
        return self.context["request"].user.points_balance


@extend_schema(tags=["growth"])
class SignInApi(APIView):
    """Today's sign-in: GET the streak and this month, POST to sign in (201 when new, 200 when
    already signed in today; one a day however often or concurrently it is sent)."""

    permission_classes = (IsAuthenticated,)

    def _state(self, request: Request) -> dict:
        state = selectors.sign_in_state(actor=request.user)
        return SignInStateSerializer(state, context={"request": request}).data

    @extend_schema(responses=SignInStateSerializer)
    def get(self, request: Request) -> Response:
        return Response(self._state(request))

    @extend_schema(request=None, responses={200: SignInStateSerializer, 201: SignInStateSerializer})
    def post(self, request: Request) -> Response:
        _sign_in, created = services.sign_in_today(actor=request.user)
        return set_response(self._state(request), created=created)


class PointsEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.IntegerField()
    balance_after = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=PointsEntry.Reason.choices)
    reason_label = serializers.CharField(source="get_reason_display")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "PointsEntry"


@extend_schema(tags=["growth"])
class PointsApi(APIView):
    """The reader's points ledger, newest first (the balance is `points_balance` of /me/)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="me_points_list",
        parameters=[CURSOR],
        responses=page_schema(PointsEntrySerializer, name="PointsEntryPage"),
    )
    def get(self, request: Request) -> Response:
        page = selectors.points_ledger(
            actor=request.user, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return page_response(request, page, PointsEntrySerializer, {})


# --- The message centre

TAB_OF_VERB = {verb: tab for tab, verbs in services.TABS.items() for verb in verbs}


class NotificationSerializer(serializers.Serializer):
    """One message: who (the newest of `actors_count` people), what, and what it is about."""

    id = serializers.IntegerField()
    verb = serializers.ChoiceField(choices=Notification.Verb.choices)
    tab = serializers.SerializerMethodField()
    is_read = serializers.BooleanField()
    actor = UserSummarySerializer(source="latest_actor", allow_null=True)
    actors_count = serializers.IntegerField()
    target_type = serializers.SerializerMethodField(help_text=_('e.g. "notes.note"'))
    target_id = serializers.IntegerField()
    message = serializers.SerializerMethodField(
        help_text=_(
            'What the message says, as the messages page puts it: "Li Hua and 3 others '
            'liked your note".'
        )
    )
    text = serializers.CharField(
        source="target_text", help_text=_("What it shows of its target; a level-up's level.")
    )
    is_target_gone = serializers.BooleanField(
        help_text=_("What it is about was deleted since (a note, a comment, an account): show so.")
    )
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(help_text=_("The latest event it counts."))

    class Meta:
        ref_name = "Notification"

    def get_tab(self, row: Notification) -> str:
        return TAB_OF_VERB[row.verb]

    def get_message(self, row: Notification) -> str:
        return notification_plain_text(row)

    def get_target_type(self, row: Notification) -> str:
        target_type = ContentType.objects.get_for_id(row.target_type_id)
        return f"{target_type.app_label}.{target_type.model}"

    def get_url(self, row: Notification) -> str:
        return self.context["request"].build_absolute_uri(row.target_url)


class TabSerializer(serializers.Serializer):
    tab = serializers.ChoiceField(
        choices=list(services.TABS), default=next(iter(services.TABS)), required=False
    )


@extend_schema(tags=["messages"])
class NotificationListApi(APIView):
    """One tab of the reader's messages, latest first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="notifications_list",
        parameters=[CURSOR, TabSerializer],
        responses=page_schema(NotificationSerializer, name="NotificationPage"),
    )
    def get(self, request: Request) -> Response:
        query = TabSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = selectors.notifications_page(
            actor=request.user,
            tab=query.validated_data["tab"],
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NotificationSerializer, {})


class UnreadSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_tab = serializers.DictField(child=serializers.IntegerField())

    class Meta:
        ref_name = "UnreadMessages"


@extend_schema(tags=["messages"])
class NotificationUnreadApi(APIView):
    """How many messages are unread, in all and by tab."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=UnreadSerializer)
    def get(self, request: Request) -> Response:
        by_tab = selectors.notifications_unread_by_tab(actor=request.user)
        return Response(UnreadSerializer({"total": sum(by_tab.values()), "by_tab": by_tab}).data)


@extend_schema(tags=["messages"])
class NotificationReadApi(APIView):
    """Mark messages read: these `ids`, or one `tab`, or (neither) all of them."""

    permission_classes = (IsAuthenticated,)

    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(child=serializers.IntegerField(), required=False)
        tab = serializers.ChoiceField(choices=list(services.TABS), required=False)

        class Meta:
            ref_name = "NotificationsRead"

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            name="NotificationsMarked",
            fields={"marked": serializers.IntegerField(), "unread": serializers.IntegerField()},
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            actor=request.user,
            notification_ids=serializer.validated_data.get("ids"),
            tab=serializer.validated_data.get("tab"),
        )
        request.user.refresh_from_db(fields=["unread_notifications"])
        return Response({"marked": marked, "unread": request.user.unread_notifications})
