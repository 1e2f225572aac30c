"""Placeholder views: replaced by the real pages."""

from django.http import HttpResponse


def home_discover(request, **kwargs):
    return HttpResponse("home_discover")


def home_follow(request, **kwargs):
    return HttpResponse("home_follow")


def home_nearby(request, **kwargs):
    return HttpResponse("home_nearby")


def profile(request, **kwargs):
    return HttpResponse("profile")
