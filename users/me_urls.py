"""The signed-in reader's own pages under /me/: growth and level, daily sign-in, points."""

from django.urls import path

from users import views

app_name = "me"
urlpatterns = [
    path("growth/", views.growth, name="growth"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("points/", views.points, name="points"),
]
