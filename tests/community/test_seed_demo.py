import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from community.demo import images as demo_images
from community.demo.seeder import HELD_NOTE
from core.screening import contact_findings
from notes import services as note_services
from notes.growth import progress_sources
from notes.models import (
    Board,
    Bookmark,
    Comment,
    CommentLike,
    Like,
    Note,
    NoteImage,
    NoteImpressionDay,
    NotePoolEntry,
    NoteTraffic,
    ReaderInterest,
    Repost,
)
from users import selectors as user_selectors
from users import services as user_services
from users.models import Follow, User

pytestmark = pytest.mark.django_db

SMALL = {"users": 8, "notes": 30}
DEMO_EMAILS = {"email__endswith": "@demo.hongshu.local"}


@pytest.fixture(autouse=True)
def small_pools(settings):
    """Pools sized for eight accounts (the demo shows each note to about its first budget)."""
    settings.TRAFFIC_POOL_BUDGETS = (10, 20, 40, 80)
    settings.TRAFFIC_POOL_PROMOTION_RATES = (0.15, 0.15, 0.12)


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (User, Follow, Note, NoteImage, Like, Bookmark, Board, Comment, CommentLike, Repost)
    return {model.__name__: model.objects.count() for model in models}


def test_seed_creates_the_requested_accounts_and_notes():
    seed()

    assert User.objects.filter(**DEMO_EMAILS).exclude(username="admin").count() == 8
    assert Note.objects.count() == 30
    assert User.objects.get(username="demo").kind == User.Kind.CREATOR
    assert User.objects.get(username="admin").is_superuser is True


def test_seed_sets_up_three_brands_of_which_two_are_verified():
    seed()

    brands = User.objects.filter(kind=User.Kind.BRAND)
    assert brands.count() == 3
    assert brands.filter(is_verified=True).count() == 2


def test_seeded_notes_have_one_to_six_photos_and_some_are_drafts():
    seed()

    photos = Note.objects.annotate(total=Count("images")).values_list("total", flat=True)
    assert set(photos) <= {1, 2, 3, 4, 5, 6}
    assert Note.objects.filter(status=Note.Status.DRAFT).count() == 1
    assert Note.objects.filter(title__regex=r"^.{21,}$").count() == 0


def test_seeded_counters_equal_the_source_rows():
    seed()

    corrected = note_services.note_counters_recount()

    assert corrected == 0
    assert Like.objects.count() == sum(Note.objects.values_list("likes_count", flat=True))
    for person in User.objects.annotate(total=Count("follower_links")):
        assert person.followers_count == person.total


def test_demo_account_follows_accounts_that_posted():
    seed()

    demo = User.objects.get(username="demo")
    assert demo.following_count == 7
    assert Note.objects.filter(author__follower_links__follower=demo).exists()


def test_demo_and_admin_can_log_in_with_the_published_passwords(client):
    seed()

    assert client.login(username="demo", password="hongshu-demo") is True
    assert client.login(username="admin", password="hongshu-admin") is True


def test_second_run_creates_nothing_new():
    seed()
    before = row_counts()

    output = seed()

    assert row_counts() == before
    assert "Demo data already present" in output


def test_reset_rebuilds_the_same_amount_of_data():
    seed()
    before = row_counts()

    output = seed(reset=True)

    assert row_counts() == before
    assert "Reset: deleted 9 demo accounts" in output


def test_same_seed_writes_the_same_notes():
    seed()
    first = list(Note.objects.order_by("pk").values_list("title", "body", "place_name"))

    seed(reset=True)

    assert list(Note.objects.order_by("pk").values_list("title", "body", "place_name")) == first


def test_seed_reports_what_it_did():
    output = seed()

    assert "notes      30: drafts 1," in output
    assert "0 notes drifted" in output
    assert "Log in as demo / hongshu-demo" in output


def test_seed_draws_latin_captions_when_no_cjk_font_is_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(demo_images, "CJK_FONT", tmp_path / "missing.ttc")
    demo_images.caption_font.cache_clear()
    try:
        output = seed()
    finally:
        demo_images.caption_font.cache_clear()

    assert "with Latin captions" in output
    assert Note.objects.count() == 30


def test_reset_repairs_the_follow_counters_of_accounts_that_stay(user):
    seed()
    user_services.user_follow(actor=user, followee=User.objects.get(username="demo"))

    seed(reset=True)

    user.refresh_from_db()
    assert user.following_count == 0
    assert User.objects.filter(pk=user.pk).exists()


def test_seeded_notes_are_spread_over_the_last_90_days():
    seed()

    dates = Note.objects.filter(status=Note.Status.PUBLISHED).values_list("published_at", flat=True)
    newest, oldest = max(dates), min(dates)
    assert newest <= timezone.now()
    assert timedelta(days=7) < newest - oldest <= timedelta(days=90, hours=1)


def test_seeded_accounts_have_a_spread_of_levels_some_of_them_high():
    seed()

    levels = set(User.objects.filter(**DEMO_EMAILS).values_list("red_potato_level", flat=True))
    assert {7, 8, 9, 10} <= levels
    assert len(levels) >= 5


def test_the_demo_account_is_on_a_sign_in_streak_with_todays_still_to_do():
    seed()

    demo = User.objects.get(username="demo")
    state = user_selectors.sign_in_state(actor=demo)
    assert (state.is_signed_in_today, state.streak) == (False, 6)
    assert demo.points_balance == sum(demo.points_entries.values_list("amount", flat=True))
    assert demo.points_entries.count() > 6


def test_the_demo_account_has_unread_and_read_messages():
    seed()

    demo = User.objects.get(username="demo")
    assert 0 < demo.unread_notifications == demo.notifications.filter(is_read=False).count()
    assert demo.notifications.filter(is_read=True).exists()
    assert demo.notifications.filter(verb="mentioned").exists()


def test_seeded_level_progress_equals_the_source_rows():
    seed()

    corrected, raised = user_services.growth_counters_recount(sources=progress_sources())

    assert (corrected, raised) == (0, 0)


def test_seeded_notes_are_spread_across_the_traffic_pools():
    # when
    seed()
    # then: the last days' notes still offered in pool 0, most older ones settled, some higher
    states = list(NoteTraffic.objects.values_list("state", "pool"))
    assert (NoteTraffic.State.OFFERED, 0) in states
    assert any(state == NoteTraffic.State.SETTLED for state, _pool in states)
    assert any(pool >= 1 for _state, pool in states)
    assert NotePoolEntry.objects.filter(reason=NotePoolEntry.Reason.BOOSTED).exists()


def test_seeded_impressions_are_the_daily_counts_the_author_sees():
    # when
    seed()
    # then: "shown to N readers" adds up, and is not zero for a week-old note
    week_old = Note.objects.filter(
        status=Note.Status.PUBLISHED, published_at__lt=timezone.now() - timedelta(days=7)
    ).first()
    days = NoteImpressionDay.objects.filter(note=week_old)
    assert week_old.impressions == sum(days.values_list("count", flat=True)) > 0
    assert note_services.note_impressions_refresh(since=None) == 0


def test_seeded_readers_have_interests_learned_from_what_they_did():
    # when
    seed()
    # then
    demo = User.objects.get(username="demo")
    assert ReaderInterest.objects.get(reader=demo).weights


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_demo_note_for_the_review_queue_is_valid_and_held_in_both_languages(language):
    title, body = HELD_NOTE[language]

    note_services.note_text_check(note_services.NoteContent(title=title, body=body))
    assert [finding.kind for finding in contact_findings(f"{title}\n{body}")] == ["wechat"]


def test_seed_leaves_one_note_in_the_review_queue():
    seed()

    held = Note.objects.get(status=Note.Status.UNDER_REVIEW)
    assert [finding.kind for finding in held.review_findings] == ["wechat"]
