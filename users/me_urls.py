"""The signed-in reader's own pages under /me/: growth and level, daily sign-in,
points, and the message centre."""

from django.urls import path

from users import views

app_name = "me"
urlpatterns = [
    path("growth/", views.growth, name="growth"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("points/", views.points, name="points"),
    path("messages/", views.messages_page, name="messages"),
    path("messages/read/", views.messages_read, name="messages_read"),
    path("messages/settings/", views.message_settings, name="message_settings"),
    path("messages/<int:notification_id>/", views.message_open, name="message_open"),
]
