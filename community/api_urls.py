"""/api/v1/feeds/: the three home feeds, "not interested" on a Discover card; onboarding."""

from django.urls import path

from community import api, search_api

app_name = "community_api"
urlpatterns = [
    path("feeds/discover/", api.FeedDiscoverApi.as_view(), name="feed_discover"),
    path(
        "feeds/discover/notes/<int:note_id>/not-interested/",
        api.DiscoverNotInterestedApi.as_view(),
        name="discover_not_interested",
    ),
    path("feeds/follow/", api.FeedFollowApi.as_view(), name="feed_follow"),
    path("hot/", api.HotListApi.as_view(), name="hot_list"),
    path("onboarding/topics/", api.OnboardingTopicsApi.as_view(), name="onboarding_topics"),
    path(
        "onboarding/interests/", api.OnboardingInterestsApi.as_view(), name="onboarding_interests"
    ),
    path("onboarding/skip/", api.OnboardingSkipApi.as_view(), name="onboarding_skip"),
    path("onboarding/creators/", api.OnboardingCreatorsApi.as_view(), name="onboarding_creators"),
    path("me/close/", api.AccountCloseApi.as_view(), name="account_close"),
    path("me/data/", api.AccountDataApi.as_view(), name="account_data"),
    path("feeds/nearby/", api.FeedNearbyApi.as_view(), name="feed_nearby"),
    path("search/", search_api.SearchNotesApi.as_view(), name="search"),
    path("search/creators/", search_api.SearchCreatorsApi.as_view(), name="search_creators"),
    path("search/products/", search_api.SearchProductsApi.as_view(), name="search_products"),
]
