"""/api/v1/ routes of accounts: tokens, profiles, the reader's own profile and growth,
follows, and the message centre."""

from django.urls import path

from users import api

app_name = "users_api"
urlpatterns = [
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("me/", api.MeApi.as_view(), name="me"),
    path("me/growth/", api.GrowthApi.as_view(), name="growth"),
    path("me/sign-ins/", api.SignInApi.as_view(), name="sign_ins"),
    path("me/points/", api.PointsApi.as_view(), name="points"),
    path("notifications/", api.NotificationListApi.as_view(), name="notifications"),
    path("notifications/unread/", api.NotificationUnreadApi.as_view(), name="notifications_unread"),
    path("notifications/read/", api.NotificationReadApi.as_view(), name="notifications_read"),
    path("users/<str:username>/", api.UserDetailApi.as_view(), name="user"),
    path("users/<str:username>/follow/", api.UserFollowApi.as_view(), name="follow"),
    path("users/<str:username>/followers/", api.UserFollowersApi.as_view(), name="followers"),
    path("users/<str:username>/following/", api.UserFollowingApi.as_view(), name="following"),
]
