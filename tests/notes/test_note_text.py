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
