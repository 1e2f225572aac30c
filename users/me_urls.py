"""The signed-in reader's own pages under /me/: growth and level."""

from django.urls import path

from users import views

app_name = "me"
urlpatterns = [
    path("growth/", views.growth, name="growth"),
]
