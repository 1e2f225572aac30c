"""Placeholder views: replaced by the real pages."""

from django.http import HttpResponse


def note_create(request, **kwargs):
    return HttpResponse("note_create")


def note_detail(request, **kwargs):
    return HttpResponse("note_detail")


def note_edit(request, **kwargs):
    return HttpResponse("note_edit")


def note_delete(request, **kwargs):
    return HttpResponse("note_delete")


def note_like(request, **kwargs):
    return HttpResponse("note_like")


def note_unlike(request, **kwargs):
    return HttpResponse("note_unlike")


def note_bookmark(request, **kwargs):
    return HttpResponse("note_bookmark")


def note_unbookmark(request, **kwargs):
    return HttpResponse("note_unbookmark")


def note_repost(request, **kwargs):
    return HttpResponse("note_repost")


def note_unrepost(request, **kwargs):
    return HttpResponse("note_unrepost")


def note_author_follow(request, **kwargs):
    return HttpResponse("note_author_follow")


def comment_create(request, **kwargs):
    return HttpResponse("comment_create")


def comment_delete(request, **kwargs):
    return HttpResponse("comment_delete")


def comment_like(request, **kwargs):
    return HttpResponse("comment_like")


def comment_unlike(request, **kwargs):
    return HttpResponse("comment_unlike")


def tag_detail(request, **kwargs):
    return HttpResponse("tag_detail")


def board_create(request, **kwargs):
    return HttpResponse("board_create")


def board_detail(request, **kwargs):
    return HttpResponse("board_detail")


def board_edit(request, **kwargs):
    return HttpResponse("board_edit")


def board_delete(request, **kwargs):
    return HttpResponse("board_delete")
