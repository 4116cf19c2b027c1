"""Article citations: finding and normalising them in Dutch and English privacy news."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.articles import basis_of, find_citations, normalise

DUTCH = [
    ("artikel 6 lid 1 sub f AVG", ["GDPR Art. 6(1)(f)"]),
    ("art. 6, eerste lid, onder f, AVG", ["GDPR Art. 6(1)(f)"]),
    ("artikel 6, eerste lid, aanhef en onder f, van de AVG", ["GDPR Art. 6(1)(f)"]),
    ("artikel 46, eerste lid, van de AVG", ["GDPR Art. 46(1)"]),
    ("art. 83 AVG", ["GDPR Art. 83"]),
    ("artikel 5 en 6 AVG", ["GDPR Art. 5", "GDPR Art. 6"]),
    ("artikelen 12, 13 en 14 van de AVG", ["GDPR Art. 12", "GDPR Art. 13", "GDPR Art. 14"]),
    ("art. 6 lid 1 onder a en b AVG", ["GDPR Art. 6(1)(a)", "GDPR Art. 6(1)(b)"]),
    ("artikel 4, onder 11, van de AVG", ["GDPR Art. 4(11)"]),
    ("AVG-artikel 9", ["GDPR Art. 9"]),
    ("artikel 11.7a Telecommunicatiewet", ["Telecommunicatiewet Art. 11.7a"]),
    ("artikel 5 van de AI-verordening", ["AI Act Art. 5"]),
    ("artikel 22 UAVG", ["UAVG Art. 22"]),
    ("in strijd met de AVG", ["GDPR"]),
    ("de Algemene Verordening Gegevensbescherming", ["GDPR"]),
]

ENGLISH = [
    ("Art. 6(1)(f) GDPR", ["GDPR Art. 6(1)(f)"]),
    ("Article 6(1)(f) of the GDPR", ["GDPR Art. 6(1)(f)"]),
    ("article 17 of the GDPR", ["GDPR Art. 17"]),
    ("Articles 44 to 49 GDPR", [f"GDPR Art. {n}" for n in range(44, 50)]),
    ("Articles 5(1)(a), 6 and 13 GDPR", ["GDPR Art. 5(1)(a)", "GDPR Art. 6", "GDPR Art. 13"]),
    ("the GDPR's Article 22", ["GDPR Art. 22"]),
    ("Article 34 of the Digital Services Act", ["DSA Art. 34"]),
    ("Article 5 of the AI Act", ["AI Act Art. 5"]),
    ("DSA Art. 34", ["DSA Art. 34"]),
    ("Article 6(1) DMA", ["DMA Art. 6(1)"]),
    ("the ePrivacy Directive", ["ePrivacy"]),
    ("in breach of the General Data Protection Regulation", ["GDPR"]),
    ("Art. 6 Abs. 1 lit. f DSGVO", ["GDPR Art. 6(1)(f)"]),
]


@pytest.mark.parametrize("text,expected", DUTCH)
def test_dutch_citations_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text,expected", ENGLISH)
def test_english_citations_normalise(text, expected):
    assert normalise(text) == expected


def test_article_without_law_takes_the_law_from_context():
    text = "De AP wijst op de DSA. Volgens de toezichthouder schendt het platform Article 34."
    cits = [c for c in find_citations(text) if not c.law_only]
    assert cits[0].articles == ("DSA Art. 34",)
    # nothing in the text names a law: privacy news means the GDPR
    assert normalise("Article 5(1)(a)") == ["GDPR Art. 5(1)(a)"]


def test_numbers_that_are_not_articles_are_left_alone():
    assert normalise("article 5 and 3 companies") == ["GDPR Art. 5"]
    assert normalise("Art is what 30 people made") == []
    assert normalise("the art of compliance") == []
    # lowercase "avg" (Dutch for "gemiddeld") is no law; only the capitalised acronym is
    assert normalise("een avg van 3") == []


def test_citation_offsets_are_exact():
    text = "De AP stelt dat dit in strijd is met artikel 5, lid 1, van de AVG en met de DSA."
    for c in find_citations(text):
        assert text[c.start:c.end] == c.text
    assert [c.articles for c in find_citations(text)] == [("GDPR Art. 5(1)",), ("DSA",)]


@pytest.mark.parametrize("article,basis", [
    ("GDPR Art. 6(1)(a)", "consent"),
    ("GDPR Art. 6(1)(b)", "contract"),
    ("GDPR Art. 6(1)(c)", "legal_obligation"),
    ("GDPR Art. 6(1)(d)", "vital_interests"),
    ("GDPR Art. 6(1)(e)", "public_task"),
    ("GDPR Art. 6(1)(f)", "legitimate_interest"),
    ("GDPR Art. 9", None),
    ("DSA Art. 6(1)(f)", None),
])
def test_article_6_points_name_legal_bases(article, basis):
    assert basis_of(article) == basis


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("artikel Article 6(1)(f) lid onder sub AVG GDPR ,.-\u200f\x00 0123456789")), max_size=80))
def test_finder_never_raises_and_offsets_hold(text):
    for c in find_citations(text):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert all(isinstance(a, str) and a for a in c.articles)
