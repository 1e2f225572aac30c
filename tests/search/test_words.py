"""Cutting text into words (core.search): Chinese, English, numbers, the staff dictionary."""

import pytest

from core import search
from notes.models import SearchWord

# Every cut may consult the staff dictionary, read from the database at most every
# WORDS_CHECK_SECONDS: without database access a test failed whenever its cut was the one due.
pytestmark = pytest.mark.django_db


def test_chinese_is_cut_into_words():
    assert search.words("成都火锅推荐") == ["成都", "火锅", "推荐"]


def test_index_keeps_the_shorter_words_of_a_long_one():
    assert {"个子", "小个子"} <= set(search.document("小个子穿搭").split())


def test_english_is_lower_case_and_singular():
    assert search.words("Lipsticks DRESSES Berries glass") == [
        "lipstick",
        "dress",
        "berry",
        "glass",
    ]


def test_a_number_with_its_unit_is_one_word():
    assert "155cm" in search.words("outfit for 155cm")


def test_full_width_letters_and_digits_are_folded():
    assert search.words("１５５ＣＭ") == ["155cm"]


def test_punctuation_and_stopwords_are_dropped():
    assert search.words("the “best”!!! 的 of") == ["best"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "!!!", "%%__", "' OR 1=1 --", '"unbalanced', "a & | ! (", "NEAR(x y)", "x" * 5000],
)
def test_any_input_gives_terms_without_syntax(text):
    found = search.terms(text)
    assert all(word.isalnum() for word in found.words)
    assert len(found.text) <= search.QUERY_MAX_CHARS


def test_query_key_is_the_same_for_the_same_words():
    assert search.terms("Lipsticks  推荐").key == search.terms("lipstick 推荐").key


def test_a_staff_word_stays_whole():
    search.words_changed()  # another test's words may still be loaded in this process
    assert search.words("完美日记口红") != ["完美日记", "口红"]
    SearchWord.objects.create(word="完美日记")
    search.words_changed()
    assert search.words("完美日记口红") == ["完美日记", "口红"]
