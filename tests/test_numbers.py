"""Number parsing helpers (nlp/numbers.py): digits, number words and scales in Dutch and English."""
import pytest

from nlp.numbers import load_lexicon, parse_digits, parse_number_word, read_number, tokenize


@pytest.mark.parametrize("text,lang,value", [
    ("1.200.000", "nl", 1_200_000),
    ("30,5", "nl", 30.5),
    ("2.500", "nl", 2500),
    ("0,5", "nl", 0.5),
    ("1.234,56", "nl", 1234.56),
    ("2,000", "en", 2000),
    ("1.2", "en", 1.2),
    ("1,234.5", "en", 1234.5),
    ("12,700,000", "en", 12_700_000),
    ("746", "en", 746),
    ("0.5", "en", 0.5),
])
def test_parse_digits(text, lang, value):
    assert parse_digits(text, lang) == pytest.approx(value)


@pytest.mark.parametrize("text,lang", [("1.2.3", "nl"), ("12,34,5", "en"), ("", "nl"), ("abc", "en"), ("1..2", "nl")])
def test_parse_digits_rejects_non_numbers(text, lang):
    assert parse_digits(text, lang) is None


@pytest.mark.parametrize("word,lang,value", [
    ("zesenzestig", "nl", 66),
    ("tweeëntwintig", "nl", 22),
    ("eenentwintig", "nl", 21),
    ("tweehonderdvijftig", "nl", 250),
    ("drieduizend", "nl", 3000),
    ("vijfhonderdduizend", "nl", 500_000),
    ("duizend", "nl", 1000),
    ("honderd", "nl", 100),
    ("twaalf", "nl", 12),
    ("Zeven", "nl", 7),
    ("vijftig", "nl", 50),
    ("sixty", "en", 60),
    ("twelve", "en", 12),
    ("twentyone", "en", 21),
])
def test_parse_number_word(word, lang, value):
    assert parse_number_word(word, lang) == value


@pytest.mark.parametrize("word,lang", [
    ("tweede", "nl"), ("duizenden", "nl"), ("honderden", "nl"), ("tientallen", "nl"), ("derde", "nl"),
    ("third", "en"), ("dozens", "en"), ("hundreds", "en"), ("boete", "nl"), ("", "en"), ("en", "nl"),
])
def test_parse_number_word_rejects(word, lang):
    assert parse_number_word(word, lang) is None


@pytest.mark.parametrize("text,lang,value", [
    ("290 miljoen euro", "nl", 290e6),
    ("30,5 miljoen", "nl", 30.5e6),
    ("1,2 miljard", "nl", 1.2e9),
    ("drie miljoen vijfhonderdduizend", "nl", 3.5e6),
    ("een miljoen", "nl", 1e6),
    ("anderhalf miljoen", "nl", 1.5e6),
    ("1.2bn", "en", 1.2e9),
    ("7.5m", "en", 7.5e6),
    ("500k", "en", 500e3),
    ("5 billion", "en", 5e9),
    ("two hundred and fifty thousand", "en", 250e3),
    ("sixty-six", "en", 66),
    ("a dozen", "en", 12),
    ("half a million", "en", 500e3),
])
def test_read_number(text, lang, value):
    nr = read_number(tokenize(text), 0, load_lexicon(lang))
    assert nr is not None and nr.value == pytest.approx(value)


@pytest.mark.parametrize("text,lang", [("5G", "en"), ("10GB", "en"), ("1e", "nl"), ("2nd", "en"), ("boete", "nl"),
                                       ("hundred", "en")])
def test_read_number_rejects(text, lang):
    assert read_number(tokenize(text), 0, load_lexicon(lang)) is None


def test_article_word_alone_is_flagged():
    nr = read_number(tokenize("een boete"), 0, load_lexicon("nl"))
    assert nr is not None and nr.words_only_article
    nr = read_number(tokenize("one complaint"), 0, load_lexicon("en"))
    assert nr is not None and nr.words_only_article


def test_tokenize_offsets():
    text = "Meta kreeg €1,2 miljard\u200f boete (art. 83(5))."
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text


def test_phrase_table_matches_like_trying_every_length():
    """The prefix/suffix walk finds the same phrase as trying every length, longest first."""
    from nlp.numbers import PhraseTable

    table = PhraseTable({"up to": 1, "up to and including": 2, "to": 3, "a b c d": 4, "b c": 5, "€": 6})
    toks = tokenize("we go up to and including a b c d, up to a b c and €5 b c")
    for i in range(-1, len(toks) + 2):
        for adjacent in (False, True):
            assert table.match(toks, i, adjacent) == table._match_slow(toks, i, adjacent)
    for end in range(0, len(toks) + 2):
        assert table.match_ending(toks, end) == table._match_ending_slow(toks, end)
    assert table.match(toks, 2) == (4, 2)
    assert table.match_ending(toks, 4) == (2, 1)
    assert PhraseTable({}).match(toks, 0) is None
