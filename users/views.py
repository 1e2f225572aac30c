"""Placeholder views: replaced by the real pages."""

from django.http import HttpResponse


def signup(request, **kwargs):
    return HttpResponse("signup")


def login(request, **kwargs):
    return HttpResponse("login")


def logout(request, **kwargs):
    return HttpResponse("logout")


def profile_edit(request, **kwargs):
    return HttpResponse("profile_edit")


def password_change(request, **kwargs):
    return HttpResponse("password_change")


def password_reset(request, **kwargs):
    return HttpResponse("password_reset")


def password_reset_done(request, **kwargs):
    return HttpResponse("password_reset_done")


def password_reset_confirm(request, **kwargs):
    return HttpResponse("password_reset_confirm")


def password_reset_complete(request, **kwargs):
    return HttpResponse("password_reset_complete")


def follow(request, **kwargs):
    return HttpResponse("follow")


def unfollow(request, **kwargs):
    return HttpResponse("unfollow")


def followers(request, **kwargs):
    return HttpResponse("followers")


def following(request, **kwargs):
    return HttpResponse("following")
