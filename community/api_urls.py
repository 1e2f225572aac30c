"""/api/v1/feeds/: the three home feeds."""

from django.urls import path

from community import api

app_name = "community_api"
urlpatterns = [
    path("feeds/discover/", api.FeedDiscoverApi.as_view(), name="feed_discover"),
    path("feeds/follow/", api.FeedFollowApi.as_view(), name="feed_follow"),
    path("feeds/nearby/", api.FeedNearbyApi.as_view(), name="feed_nearby"),
]
