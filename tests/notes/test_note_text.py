from django.template import Context, Template
from taggit.models import Tag

from notes.templatetags.note_text import hashtag_links


def render(text: str) -> str:
    return Template("{% load note_text %}{{ text|hashtag_links }}").render(Context({"text": text}))


def test_markup_in_the_text_is_escaped():
    html = render('<script>alert("x")</script>')

    assert html == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_hashtags_become_links_to_their_tag_pages():
    html = render("Tea at #上海 & #tea")

    assert html == (
        'Tea at <a class="note-hashtag" href="/tags/%E4%B8%8A%E6%B5%B7/">#上海</a> &amp; '
        '<a class="note-hashtag" href="/tags/tea/">#tea</a>'
    )


def test_a_hashtag_links_to_the_real_slug_of_the_notes_tag():
    tag = Tag(name="Tea", slug="tea_1")

    html = hashtag_links("#Tea", [tag])

    assert html == '<a class="note-hashtag" href="/tags/tea_1/">#Tea</a>'


def test_line_breaks_are_kept_and_markup_inside_a_hashtag_cannot_escape():
    html = render('one\ntwo #a"><b>')

    assert html == 'one<br>two <a class="note-hashtag" href="/tags/a/">#a</a>&quot;&gt;&lt;b&gt;'


def render_note(text: str, people: set[str]) -> str:
    template = Template("{% load note_text %}{% note_text text people=people %}")
    return template.render(Context({"text": text, "people": people}))


def test_a_mention_of_a_known_account_links_to_its_profile():
    html = render_note("Thanks @li.hua!", {"li.hua"})

    assert html == 'Thanks <a class="note-mention" href="/u/li.hua/">@li.hua</a>!'


def test_a_mention_of_an_unknown_name_stays_plain_text():
    html = render_note("Hi @nobody and @li.hua", {"li.hua"})

    assert html == 'Hi @nobody and <a class="note-mention" href="/u/li.hua/">@li.hua</a>'


def test_an_email_address_is_not_a_mention():
    html = render_note("Write to tea@example.com", {"example.com"})

    assert html == "Write to tea@example.com"


def test_a_note_links_its_mentions_and_its_hashtags_on_one_line():
    html = render_note("@li #tea", {"li"})

    assert html == (
        '<a class="note-mention" href="/u/li/">@li</a> '
        '<a class="note-hashtag" href="/tags/tea/">#tea</a>'
    )


def test_a_comment_links_mentions_but_not_hashtags_and_escapes_markup():
    template = Template("{% load note_text %}{% comment_text text people=people %}")

    html = template.render(Context({"text": "<b>@li</b> #tea\nbye", "people": {"li"}}))

    assert html == '&lt;b&gt;<a class="note-mention" href="/u/li/">@li</a>&lt;/b&gt; #tea<br>bye'
