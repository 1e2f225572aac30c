"""The community pages: the three home feeds, the hot list, onboarding, the profile page."""

from django.urls import path

from community import account_views, search_views, views

app_name = "community"
urlpatterns = [
    path("", views.home_discover, name="home"),
    path(
        "discover/<int:note_id>/not-interested/",
        views.discover_not_interested,
        name="not_interested",
    ),
    path("follow/", views.home_follow, name="follow"),
    path("hot/", views.hot, name="hot"),
    path("hot/strip/", views.hot_strip, name="hot_strip"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("welcome/skip/", views.onboarding_skip, name="onboarding_skip"),
    path("welcome/creators/", views.onboarding_creators, name="onboarding_creators"),
    path("nearby/", views.home_nearby, name="nearby"),
    path("search/", search_views.search_page, name="search"),
    path("search/suggest/", search_views.search_suggest, name="search_suggest"),
    path("search/history/clear/", search_views.search_history_clear, name="search_history_clear"),
    path("u/<str:username>/", views.profile, name="profile"),
    path("accounts/close/", account_views.account_close, name="account_close"),
    path("accounts/data/", account_views.account_data_page, name="account_data"),
    path(
        "accounts/data/download/",
        account_views.account_data_download,
        name="account_data_download",
    ),
]
