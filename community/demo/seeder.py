"""Builds the demo community through the services, so every counter and CES is exact.

Used by `manage.py seed_demo` (and by `manage.py bench` when there is no data yet).
Deterministic for a seed: every choice comes from one `random.Random`.
"""

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.demo import content, images
from community.demo.mall import MallSeeder
from notes import services as note_services
from notes.growth import progress_sources
from notes.models import TITLE_MAX_LENGTH, Note, NoteTraffic
from notes.services.pools import pool_budget, pool_count
from users import services as user_services
from users.models import User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hongshu-demo"  # noqa: S105 - the published demo login
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "hongshu-admin"  # noqa: S105 - the published demo staff login
DEMO_EMAIL_DOMAIN = "demo.hongshu.local"
DEMO_NOTES = 5
DEMO_FOLLOWS = 20
PICTURES_PER_TOPIC_MAX = 60
PLACE_SCATTER_KM = 8
KM_PER_DEGREE = 111.32
HISTORY_DAYS = 90
DRAFT_SHARE = 0.03
SIGN_IN_HISTORY_DAYS = 30
DEMO_STREAK_DAYS = 6  # up to yesterday, so today's sign-in is waiting for whoever logs in
# Levels for the accounts most liked and saved: they grew before the demo's 90 days.
VETERAN_LEVELS = (10, 9, 8, 7)
DEMO_MESSAGES_UNREAD_A_TAB = 2
# Signed-out visitors (each their own reader cookie) who were shown the notes, so the traffic
# pools have impressions to judge: a note three days old has used about its first pool's budget.
SHOWN_HOURS = 72
SHOWN_OVER_BUDGET = 1.3  # an older note was shown up to this much of its first budget
BOOSTED_BY_STAFF = 2  # the best promoted notes the admin boosted one pool further
SPONSORED_SHARE = 0.15  # of creators' notes on a verified brand's topic: a paid partnership
# A creator's note that tries to take readers to a private chat: the screening holds it, so
# staff find one in the review queue (Notes, status "Under review").
HELD_NOTE = {
    "zh": (
        "闲置好物转让，价格私聊",
        "还有很多好物没发出来，加我vx: tangtang_2024 私聊，同城可自提～",
    ),
    "en": (
        "Spare bits for sale",
        "Lots more not listed: add me on WeChat: "
        "tangtang_2024 and I'll send photos, pick-up in town.",
    ),
}
MENTIONS = {
    "zh": ("你一定会喜欢这里！", "下次一起去～", "快看这个"),
    "en": ("you'd love this!", "let's go next time", "look at this"),
}


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


@dataclass
class Person:
    user: User
    language: str
    topics: tuple[str, ...]
    city: str  # a slug of content.CITIES
    weight: int = 1  # how much they write and how often they are followed
    board_ids: list[int] = field(default_factory=list)


@dataclass
class NotePlan:
    author: Person
    topic: str
    language: str
    city: str
    has_place: bool
    publish: bool
    published_at: object
    photos: int


@dataclass
class SeedReport:
    counts: Counter = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    cjk_captions: bool = True
    drifted: int = 0
    growth_drifted: int = 0
    levels: str = ""  # accounts by red-potato level, e.g. "Lv.1×20 Lv.2×9"
    pools: str = ""  # notes by traffic state and pool, e.g. "offered:0×12 settled:0×300"


class DemoSeeder:
    def __init__(self, *, seed: int, users: int, notes: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data only needs to be repeatable
        self.seed = seed
        self.user_total = users
        self.note_total = notes
        self.now = timezone.now()
        self.report = SeedReport(cjk_captions=images.has_cjk_font())
        self.people: list[Person] = []
        self.pictures: dict[str, list[tuple[str, bytes]]] = {}
        self.notes: list[tuple[Note, Person, NotePlan]] = []
        self.cities = {slug: (zh, en, places) for slug, zh, en, places in content.CITIES}
        self.centres = {slug: (lat, lng) for slug, _name, lat, lng in settings.NEARBY_CITIES}

    def run(self) -> SeedReport:
        for step in (
            self._draw_pictures,
            self._create_accounts,
            self._sign_in,
            self._create_notes,
            self._hold_one_note,
            self._follow,
            self._create_boards,
            self._engage,
            self._create_mall,
            self._grow,
            self._show,
            self._check_counters,
        ):
            started = time.perf_counter()
            step()
            self.report.timings[step.__name__.lstrip("_")] = time.perf_counter() - started
        return self.report

    # --- Pictures.

    def _draw_pictures(self) -> None:
        """A pool per topic; notes reuse the bytes (each note still stores its own file)."""
        per_topic = min(PICTURES_PER_TOPIC_MAX, max(4, self.note_total // len(content.TOPICS)))
        language = "zh" if self.report.cjk_captions else "en"
        for topic in content.TOPICS:
            pool = []
            for _ in range(per_topic):
                ratio = images.weighted_ratio(self.rng)
                caption = self.rng.choice(content.CAPTIONS[language][topic])
                picture = images.note_picture(
                    topic=topic, ratio=ratio, caption=caption, rng=self.rng
                )
                pool.append((ratio, picture))
            self.pictures[topic] = pool
        self.report.counts["pictures drawn"] = per_topic * len(content.TOPICS)

    def _photos(self, topic: str, count: int) -> list[SimpleUploadedFile]:
        pool = self.pictures[topic]
        cover_ratio, _bytes = self.rng.choice(pool)
        same_ratio = [picture for picture in pool if picture[0] == cover_ratio]
        chosen = self.rng.sample(same_ratio, min(count, len(same_ratio)))
        while len(chosen) < count:
            chosen.append(self.rng.choice(pool))
        return [
            SimpleUploadedFile(f"photo{index}.jpg", data, content_type="image/jpeg")
            for index, (_ratio, data) in enumerate(chosen)
        ]

    def _avatar(self, initial: str, *, brand: bool = False) -> SimpleUploadedFile:
        data = images.avatar_picture(initial=initial, rng=self.rng, brand=brand)
        return SimpleUploadedFile("avatar.jpg", data, content_type="image/jpeg")

    # --- Accounts.

    def _city_name(self, slug: str, language: str) -> str:
        zh, en, _places = self.cities[slug]
        return zh if language == "zh" else en

    def _pick_city(self) -> str:
        slugs = [slug for slug, *_rest in content.CITIES]
        return self.rng.choices(slugs, weights=[5, 4, 3, 3, 3, 3])[0]

    def _create_accounts(self) -> None:
        taken = set(User.objects.values_list("username", flat=True))
        if ADMIN_USERNAME in taken:
            self.admin = User.objects.get(username=ADMIN_USERNAME)
        else:
            self.admin = user_services.user_account_create(
                username=ADMIN_USERNAME,
                email=demo_email(ADMIN_USERNAME),
                password=ADMIN_PASSWORD,
                display_name="Hongshu Staff",
                is_superuser=True,
            )
            self.report.counts["staff"] += 1

        demo = user_services.user_signup(
            username=DEMO_USERNAME,
            email=demo_email(DEMO_USERNAME),
            password=DEMO_PASSWORD,
            display_name=content.DEMO_PROFILE["display_name"],
        )
        user_services.user_profile_update(
            user=demo,
            display_name=content.DEMO_PROFILE["display_name"],
            bio=content.DEMO_PROFILE["bio"],
            city=content.DEMO_PROFILE["city"],
            avatar=self._avatar("红" if self.report.cjk_captions else "D"),
            kind=User.Kind.CREATOR,
        )
        self.demo = Person(demo, "zh", content.DEMO_PROFILE["topics"], "shanghai", weight=3)
        self.people.append(self.demo)

        brand_total = min(len(content.BRANDS), max(0, self.user_total - 2))
        for username, name, language, topics, verified in content.BRANDS[:brand_total]:
            if username in taken:
                continue
            brand = user_services.user_account_create(
                username=username,
                email=demo_email(username),
                password=None,
                display_name=name,
                kind=User.Kind.BRAND,
            )
            city = self._pick_city()
            user_services.user_profile_update(
                user=brand,
                display_name=name,
                bio=content.BRAND_BIOS[username],
                city=self._city_name(city, language),
                avatar=self._avatar(name[:1], brand=True),
            )
            if verified:
                user_services.user_set_verified(actor=self.admin, user=brand, is_verified=True)
                self.report.counts["verified brands"] += 1
            self.people.append(Person(brand, language, topics, city, weight=3))
            self.report.counts["brands"] += 1

        wanted = self.user_total - len(self.people)
        for username, name, language, topic in content.PEOPLE:
            if wanted <= 0:
                break
            if username in taken:
                continue
            wanted -= 1
            self._create_person(username, name, language, topic)
        self.report.counts["accounts"] = len(self.people)

    def _create_person(self, username: str, name: str, language: str, topic: str) -> None:
        person = user_services.user_account_create(
            username=username, email=demo_email(username), password=None, display_name=name
        )
        is_creator = self.rng.random() < 0.35
        city = self._pick_city()
        bio = self.rng.choice(content.BIOS[language][topic]).format(
            city=self._city_name(city, language)
        )
        has_photo = self.rng.random() < 0.85
        user_services.user_profile_update(
            user=person,
            display_name=name,
            bio=bio if self.rng.random() < 0.9 else "",
            city=self._city_name(city, language),
            avatar=self._avatar(name[:1].upper()) if has_photo else None,
            kind=User.Kind.CREATOR if is_creator else User.Kind.PERSONAL,
        )
        second = self.rng.choice(content.TOPICS)
        topics = (topic,) if second == topic else (topic, second)
        self.people.append(Person(person, language, topics, city, weight=4 if is_creator else 1))
        self.report.counts["creators"] += int(is_creator)

    # --- Notes.

    def _planned_total(self) -> int:
        """The notes asked for, less the one held for review (_hold_one_note)."""
        return self.note_total - 1 if self.note_total > 1 else self.note_total

    def _plans(self) -> list[NotePlan]:
        others = [person for person in self.people if person is not self.demo]
        total = self._planned_total()
        demo_share = min(DEMO_NOTES, max(1, total // 10))
        authors = [self.demo] * demo_share + self.rng.choices(
            others, weights=[person.weight for person in others], k=total - demo_share
        )
        draft_total = max(1, round(total * DRAFT_SHARE))
        draft_positions = {0} | set(self.rng.sample(range(1, total), draft_total - 1))
        plans = []
        for index, author in enumerate(authors):
            topic = (
                self.rng.choice(author.topics)
                if self.rng.random() < 0.8
                else self.rng.choice(content.TOPICS)
            )
            age = timedelta(
                days=HISTORY_DAYS * self.rng.random() ** 1.5, seconds=self.rng.randint(0, 3600)
            )
            plans.append(
                NotePlan(
                    author=author,
                    topic=topic,
                    language=author.language,
                    city=author.city if self.rng.random() < 0.8 else self._pick_city(),
                    has_place=self.rng.random() < 0.5 or author is self.demo,
                    publish=index not in draft_positions,
                    published_at=self.now - age,
                    photos=self.rng.choices(range(1, 7), weights=[3, 3, 3, 2, 2, 1])[0],
                )
            )
        return sorted(plans, key=lambda plan: plan.published_at)

    def _title(self, plan: NotePlan, place: str) -> str:
        templates = content.TITLES[plan.language][plan.topic]
        city = self._city_name(plan.city, plan.language)
        for _ in range(12):
            title = self.rng.choice(templates).format(city=city, place=place)
            if len(title) <= TITLE_MAX_LENGTH:
                return title
        return next(t for t in templates if "{" not in t and len(t) <= TITLE_MAX_LENGTH)

    def _body(self, plan: NotePlan, place_line: str) -> str:
        language, topic = plan.language, plan.topic
        details = self.rng.sample(content.DETAILS[language][topic], self.rng.randint(1, 2))
        sentences = [self.rng.choice(content.OPENERS[language][topic]), *details]
        separator = "" if language == "zh" else " "
        paragraphs = [separator.join(sentences)]
        if place_line:
            paragraphs.append(place_line)
        paragraphs.append(self.rng.choice(content.CLOSERS[language]))
        tags = self.rng.sample(content.HASHTAGS[language][topic], self.rng.randint(2, 4))
        if self.rng.random() < 0.5:
            city = self._city_name(plan.city, language)
            tags.append(
                f"{city}{content.CITY_HASHTAG_SUFFIX[topic]}" if language == "zh" else city.lower()
            )
        paragraphs.append(" ".join(f"#{tag}" for tag in tags))
        return "\n\n".join(paragraphs)

    def _place(self, plan: NotePlan) -> tuple[str, str, float | None, float | None]:
        """(place for the title, place_name, latitude, longitude): within ~8 km of the centre."""
        zh_city, en_city, places = self.cities[plan.city]
        zh_place, en_place = self.rng.choice(places)
        title_place = zh_place if plan.language == "zh" else en_place
        if not plan.has_place:
            return title_place, "", None, None
        latitude, longitude = self.centres[plan.city]
        distance = PLACE_SCATTER_KM * math.sqrt(self.rng.random())
        bearing = self.rng.random() * math.tau
        latitude += distance * math.cos(bearing) / KM_PER_DEGREE
        longitude += (
            distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
        )
        name = f"{zh_city}·{zh_place}" if plan.language == "zh" else f"{en_place}, {en_city}"
        return title_place, name, round(latitude, 6), round(longitude, 6)

    def _sponsor_of(self, plan: NotePlan) -> str:
        """Now and then a verified brand of the note's topic sponsored a creator's note: its
        username, disclosed on the note (else "")."""
        if plan.author.user.is_brand or not plan.publish or self.rng.random() >= SPONSORED_SHARE:
            return ""
        brands = [
            person
            for person in self.people
            if person.user.is_brand and person.user.is_verified and plan.topic in person.topics
        ]
        return self.rng.choice(brands).user.username if brands else ""

    def _create_notes(self) -> None:
        for plan in self._plans():
            title_place, place_name, latitude, longitude = self._place(plan)
            place_line = f"📍 {place_name}" if place_name else ""
            note = note_services.note_create(
                author=plan.author.user,
                content=note_services.NoteContent(
                    title=self._title(plan, title_place),
                    body=self._body(plan, place_line),
                    place_name=place_name,
                    latitude=latitude,
                    longitude=longitude,
                    images=self._photos(plan.topic, plan.photos),
                    sponsor=self._sponsor_of(plan),
                ),
                publish=plan.publish,
                published_at=plan.published_at,
            )
            # The photos' variants now, as a worker does after the commit: the seed runs in one
            # transaction and goes on to read, follow and like these notes as published ones.
            note_services.note_media_process(note_id=note.pk)
            self.notes.append((note, plan.author, plan))
            self.report.counts["notes"] += 1
            self.report.counts["drafts"] += int(not plan.publish)
            self.report.counts["notes with a place"] += int(bool(place_name))
            self.report.counts["photos"] += plan.photos
            self.report.counts["sponsored notes"] += int(note.sponsor_id is not None)

    def _hold_one_note(self) -> None:
        if self._planned_total() == self.note_total:
            return
        author = next(
            person
            for person in reversed(self.people)
            if person is not self.demo and not person.user.is_brand
        )
        title, body = HELD_NOTE[author.language]
        note = note_services.note_create(
            author=author.user,
            content=note_services.NoteContent(
                title=title, body=body, images=self._photos(author.topics[0], 2)
            ),
            publish=True,
        )
        note_services.note_media_process(note_id=note.pk)
        self.report.counts["notes"] += 1
        self.report.counts["held for review"] += int(note.status == Note.Status.UNDER_REVIEW)

    # --- The social graph.

    def _published(self) -> list[tuple[Note, Person, NotePlan]]:
        return [entry for entry in self.notes if entry[2].publish]

    def _follow(self) -> None:
        """Everyone follows a few accounts, creators and brands more often; demo follows ~20."""
        notes_by_author: dict[int, list[Note]] = {}
        for note, author, _plan in self._published():
            notes_by_author.setdefault(author.user.pk, []).append(note)
        prolific = sorted(
            (person for person in self.people if person is not self.demo),
            key=lambda person: (-len(notes_by_author.get(person.user.pk, [])), person.user.pk),
        )
        self._follow_many(self.demo, prolific[:DEMO_FOLLOWS], notes_by_author)
        for person in self.people:
            if person is self.demo:
                continue
            candidates = [other for other in self.people if other is not person]
            weights = [
                other.weight * (2 if other.city == person.city else 1) for other in candidates
            ]
            wanted = self.rng.randint(3, min(15, len(candidates)))
            chosen: dict[int, Person] = {}
            for _ in range(wanted * 3):
                other = self.rng.choices(candidates, weights=weights)[0]
                chosen.setdefault(other.user.pk, other)
                if len(chosen) == wanted:
                    break
            self._follow_many(person, list(chosen.values()), notes_by_author)

    def _follow_many(
        self, follower: Person, followees: list[Person], notes_by_author: dict[int, list[Note]]
    ) -> None:
        for followee in followees:
            their_notes = notes_by_author.get(followee.user.pk)
            if their_notes and self.rng.random() < 0.4:
                note = self.rng.choice(their_notes)
                followed = note_services.note_author_follow(actor=follower.user, note_id=note.pk)
                self.report.counts["follows from notes"] += int(followed)
            else:
                followed = user_services.user_follow(actor=follower.user, followee=followee.user)
            self.report.counts["follows"] += int(followed)

    def _create_boards(self) -> None:
        for person in self.people:
            if self.rng.random() > 0.5 and person is not self.demo:
                continue
            names = self.rng.sample(content.BOARD_NAMES[person.language], self.rng.randint(1, 3))
            for name in names:
                is_private = self.rng.random() < 0.25
                board = note_services.board_create(
                    owner=person.user, name=name, is_private=is_private
                )
                person.board_ids.append(board.pk)
                self.report.counts["boards"] += 1
                self.report.counts["private boards"] += int(is_private)

    # --- Likes, bookmarks, comments, reposts.

    def _engage(self) -> None:
        for note, author, plan in self._published():
            readers = [person for person in self.people if person is not author]
            # Heavy-tailed like a real feed, saturating smoothly instead of piling up at a cap.
            share = 0.85 * (1 - math.exp(-0.05 * self.rng.paretovariate(1.3)))
            # Read by more people than like it; the first of them like it.
            seen = min(len(readers), round(min(0.9, share * 3.5) * len(readers)))
            viewers = self.rng.sample(readers, seen)
            for reader in viewers:
                note_services.note_read(actor=reader.user, note=note)
            likers = viewers[: round(share * len(readers))]
            for reader in likers:
                note_services.note_like(actor=reader.user, note_id=note.pk)
                self.report.counts["likes"] += 1
                if self.rng.random() < 0.35:
                    self._bookmark(reader, note)
                if self.rng.random() < 0.06:
                    note_services.note_repost(actor=reader.user, note_id=note.pk)
                    self.report.counts["reposts"] += 1
            for reader in self.rng.sample(readers, min(len(readers), 2)):
                if reader not in likers and self.rng.random() < 0.1:
                    self._bookmark(reader, note)
            self._comment(note, author, plan, readers, expected=1 + len(likers) * 0.3)

    def _bookmark(self, reader: Person, note: Note) -> None:
        board_id = None
        if reader.board_ids and self.rng.random() < 0.6:
            board_id = self.rng.choice(reader.board_ids)
        note_services.note_bookmark(actor=reader.user, note_id=note.pk, board_id=board_id)
        self.report.counts["bookmarks"] += 1

    def _comment(
        self, note: Note, author: Person, plan: NotePlan, readers: list[Person], expected: float
    ) -> None:
        total = min(8, int(self.rng.expovariate(1 / expected)))
        spot = note.place_name.split("·")[-1].split(",")[0]
        place = spot or self._city_name(plan.city, author.language)
        for commenter in self.rng.choices(readers, k=total):
            comment = note_services.comment_create(
                author=commenter.user,
                note_id=note.pk,
                body=self.rng.choice(content.COMMENTS[commenter.language]),
            )
            self.report.counts["comments"] += 1
            if self.rng.random() < 0.35:
                reply = self.rng.choice(content.AUTHOR_REPLIES[author.language]).format(place=place)
                self._reply(author, note, comment.pk, reply)
            elif self.rng.random() < 0.15:
                other = self.rng.choice(readers)
                self._reply(
                    other, note, comment.pk, self.rng.choice(content.READER_REPLIES[other.language])
                )
            if self.rng.random() < 0.3:
                fans = self.rng.sample(readers, min(len(readers), self.rng.randint(1, 3)))
                for fan in fans:
                    note_services.comment_like(actor=fan.user, comment_id=comment.pk)
                    self.report.counts["comment likes"] += 1

    def _reply(self, person: Person, note: Note, parent_id: int, body: str) -> None:
        note_services.comment_create(
            author=person.user, note_id=note.pk, body=body, parent_id=parent_id
        )
        self.report.counts["comments"] += 1
        self.report.counts["replies"] += 1

    # --- The mall (community.demo.mall).

    def _create_mall(self) -> None:
        published = [(note, plan.topic) for note, _author, plan in self._published()]
        mall = MallSeeder(
            seed=self.seed, staff=self.admin, demo=self.demo.user, notes=published
        ).run()
        self.report.counts["products"] = mall.products
        self.report.counts["products made"] = mall.products_made
        self.report.counts["product links"] = mall.links
        self.report.counts["orders"] = mall.orders
        self.report.counts["flash sales"] = mall.flash_sales
        self.report.counts["coupons"] = mall.coupons

    # --- Growth: sign-ins, points, levels, messages.

    def _sign_in(self) -> None:
        """A month of sign-in habits, the demo account on a streak up to yesterday. Booked
        before anything else pays points, so the ledgers read in order."""
        for person in self.people:
            diligence = self.rng.choice((0.2, 0.5, 0.8, 0.95))
            for days_ago in range(SIGN_IN_HISTORY_DAYS, 0, -1):
                on_streak = person is self.demo and days_ago <= DEMO_STREAK_DAYS
                streak_starts = person is self.demo and days_ago == DEMO_STREAK_DAYS + 1
                if on_streak or (not streak_starts and self.rng.random() < diligence):
                    at = self.now - timedelta(days=days_ago)
                    user_services.sign_in_today(actor=person.user, at=at)
                    self.report.counts["sign-ins"] += 1

    def _grow(self) -> None:
        """A few @mentions of the demo account, veteran levels for the most liked accounts,
        and the demo account's messages read but the newest two of each tab."""
        others = [entry for entry in self._published() if entry[1] is not self.demo]
        for note, author, _plan in self.rng.sample(others, min(3, len(others))):
            writer = self.rng.choice([p for p in self.people if p not in (author, self.demo)])
            words = self.rng.choice(MENTIONS[writer.language])
            note_services.comment_create(
                author=writer.user, note_id=note.pk, body=f"@{DEMO_USERNAME} {words}"
            )
            self.report.counts["comments"] += 1
        most_liked = sorted(
            (person for person in self.people if person is not self.demo),
            key=lambda person: -User.objects.get(pk=person.user.pk).likes_and_bookmarks_received,
        )
        for person, level in zip(most_liked, VETERAN_LEVELS, strict=False):
            user_services.growth_level_award(staff=self.admin, account=person.user, level=level)
            self.report.counts["veteran levels"] += 1
        for verbs in user_services.TABS.values():
            older = self.demo.user.notifications.filter(verb__in=verbs).order_by(
                "-updated_at", "-id"
            )[DEMO_MESSAGES_UNREAD_A_TAB:]
            user_services.notifications_mark_read(
                actor=self.demo.user, notification_ids=list(older.values_list("pk", flat=True))
            )

    # --- Discovery: impressions, traffic pools, reader interests.

    def _show(self) -> None:
        """Signed-out visitors are shown the notes (a page each, through the impressions
        service), then the pools judge them as the nightly pass does: the well-liked are
        promoted and partly shown in pool 1, the others settle, the last day's notes are still
        offered in pool 0; the admin boosts the best two. Readers' interests are learned from
        what they liked, so Discover differs from one demo reader to the next."""
        first_budget = pool_budget(0)
        wanted: dict[int, int] = {}
        for note, _author, plan in self._published():
            hours = (self.now - plan.published_at).total_seconds() / 3600
            share = self.rng.uniform(1.0, SHOWN_OVER_BUDGET) * hours / SHOWN_HOURS
            share = min(SHOWN_OVER_BUDGET, share)
            wanted[note.pk] = round(first_budget * share)
        by_week: dict[int, list[tuple[int, object]]] = {}
        for note, _author, plan in self._published():
            week = (self.now - plan.published_at).days // 7
            by_week.setdefault(week, []).append((note.pk, plan.published_at))
        for notes in by_week.values():
            shown_at = min(
                self.now, max(published for _pk, published in notes) + timedelta(hours=1)
            )
            self._visitors_shown({pk: wanted[pk] for pk, _published in notes}, at=shown_at)
        note_services.discovery_nightly()
        promoted = list(
            NoteTraffic.objects.filter(pool=1, note__author__email__endswith=DEMO_EMAIL_DOMAIN)
            .order_by("-note__ces", "pk")
            .values_list("note_id", flat=True)
        )
        second_budget = pool_budget(1) if pool_count() > 1 else 0
        self._visitors_shown(
            {pk: round(second_budget * self.rng.uniform(0.2, 1.2)) for pk in promoted},
            at=self.now,
            first_visitor=max(wanted.values(), default=0),
        )
        note_services.discovery_nightly()
        for note_id in promoted[:BOOSTED_BY_STAFF]:
            note_services.note_traffic_boost(actor=self.admin, note_id=note_id)
        settle = timedelta(seconds=61)  # what the interests task leaves for its next pass
        while note_services.reader_interests_update(now=timezone.now() + settle):
            pass
        pools = Counter(NoteTraffic.objects.values_list("state", "pool"))
        self.report.pools = " ".join(
            f"{state}:{pool}×{count}" for (state, pool), count in sorted(pools.items())
        )

    def _visitors_shown(
        self, wanted: dict[int, int], *, at: object, first_visitor: int = 0
    ) -> None:
        """Visitor n (a reader cookie of their own) is shown, on one page, every note that
        `wanted` more than n impressions of."""
        visitor = 0
        while note_ids := [pk for pk, count in wanted.items() if count > visitor]:
            key = f"a{self.seed}v{first_visitor + visitor}"
            note_services.impressions_record(reader_key=key, note_ids=note_ids, unseen=True, now=at)
            self.report.counts["impressions"] += len(note_ids)
            visitor += 1

    def _check_counters(self) -> None:
        """Everything went through the services, so a full recount must find nothing to fix."""
        self.report.drifted = note_services.note_counters_recount()
        self.report.growth_drifted, _raised = user_services.growth_counters_recount(
            sources=progress_sources()
        )
        levels = Counter(
            User.objects.filter(pk__in=[person.user.pk for person in self.people]).values_list(
                "red_potato_level", flat=True
            )
        )
        self.report.levels = " ".join(f"Lv.{level}×{levels[level]}" for level in sorted(levels))
