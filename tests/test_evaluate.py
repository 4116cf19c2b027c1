"""Scoring follows DESIGN.md: actors by normalised name/mention, statistics by unit+value, claims by kind+span."""
from nlp.evaluate import norm, rows, score


def doc(lang="nl", actors=(), statistics=(), claims=()):
    return {"id": "d", "lang": lang, "actors": list(actors), "statistics": list(statistics), "claims": list(claims)}


def actor(name, type_="company", mentions=()):
    return {"name": name, "type": type_, "mentions": [{"text": m, "start": 0, "end": len(m)} for m in mentions]}


def stat(value, unit="percent", comparator="=", start=0, end=5):
    return {"value": value, "unit": unit, "comparator": comparator, "start": start, "end": end}


def claim(kind, start, end, claimant=None, target=None, basis=None):
    return {"kind": kind, "start": start, "end": end, "claimant": claimant, "target": target, "basis": basis}


def test_norm_strips_case_accents_punctuation():
    assert norm("Commission Nationale de l'Informatique et des Libertés") == \
        "commission nationale de l informatique et des libertes"


def test_actor_matching_by_mention_and_type_accuracy():
    gold = doc(actors=[actor("Autoriteit Persoonsgegevens", "regulator", ["AP"]), actor("Meta")])
    pred = doc(actors=[actor("AP", "company", ["AP"]), actor("Google")])
    c = score([gold], [pred])["nl"]["actors"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert c.accuracy("type") == 0.0


def test_statistics_match_within_half_a_percent_one_to_one():
    gold = doc(statistics=[stat(1000, "count"), stat(66), stat(66, start=10, end=12)])
    pred = doc(statistics=[stat(1004, "count"), stat(66, comparator="<"), stat(1000, "EUR")])
    c = score([gold], [pred])["nl"]["statistics"]
    assert (c.tp, c.fp, c.fn) == (2, 1, 1)
    assert c.accuracy("comparator") == 0.5


def test_claims_need_kind_and_overlap_and_score_parties():
    gold = doc(actors=[actor("noyb", "ngo", ["noyb"])],
               claims=[claim("fine", 0, 10, "AP", "Meta"), claim("complaint", 20, 30, "noyb", "Meta")])
    pred = doc(actors=[actor("None Of Your Business", "ngo", ["noyb"])],
               claims=[claim("fine", 30, 40), claim("complaint", 25, 35, "None Of Your Business", "TikTok")])
    table = score([gold], [pred])
    c = table["nl"]["claims"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert c.accuracy("claimant") == 1.0  # named by another alias of the matched actor
    assert c.accuracy("target") == 0.0
    assert {r["lang"] for r in rows(table)} == {"nl", "all"}


def test_missing_prediction_counts_as_all_missed():
    gold = doc(lang="en", actors=[actor("ICO", "regulator")])
    c = score([gold], [])["en"]["actors"]
    assert (c.tp, c.fp, c.fn) == (0, 0, 1) and c.f1 == 0.0


def test_errors_lists_missed_invented_and_misattributed_facts_with_the_same_matching_as_score():
    from nlp.evaluate import errors
    gold = doc(actors=[actor("Autoriteit Persoonsgegevens", "regulator", ["AP"]), actor("Meta")],
               claims=[claim("fine", 0, 10, "Autoriteit Persoonsgegevens", "Meta"), claim("complaint", 20, 30, "noyb", "Meta")])
    pred = doc(actors=[actor("AP", "regulator", ["AP"])],
               claims=[claim("fine", 2, 8, "AP", "Google"), claim("order", 40, 50, "AP", "Meta")])
    found = {(e["facts"], e["error"]) for e in errors([gold], [pred])}
    # the fine matches (AP is an alias of the gold regulator, so only its target is wrong)
    assert found == {("actors", "fn"), ("claims", "fn"), ("claims", "fp"), ("claims", "target")}
    c = score([gold], [pred])["nl"]["claims"]
    assert (c.fp, c.fn) == (1, 1)


def test_a_group_description_counts_when_the_shorter_names_the_same_group():
    gold = doc(lang="en", actors=[actor("Uber", "company"), actor("Ligue des Droits", "ngo", ["Ligue des Droits"])],
               claims=[claim("complaint", 0, 10, "drivers in France", "Uber"),
                       claim("complaint", 20, 30, "ChatGPT users", "Uber"),
                       claim("complaint", 40, 50, "Ligue des Droits", "Uber")])
    pred = doc(lang="en", actors=[actor("Uber", "company")],
               claims=[claim("complaint", 0, 10, "drivers", "Uber"),            # same group, less specific
                       claim("complaint", 20, 30, "people", "Uber"),            # another group
                       claim("complaint", 40, 50, "Droits", "Uber")])           # a named actor must be named
    c = score([gold], [pred])["en"]["claims"]
    assert c.attrs["claimant"] == [1, 3]
    assert c.accuracy("target") == 1.0


def test_the_same_knowledge_base_entry_is_the_same_actor_whatever_its_surface_forms():
    g = dict(actor("Hof van Justitie van de EU", "court", ["Hof van Justitie"]), kb_id="eu-cjeu")
    p = dict(actor("Court of Justice of the European Union", "court", ["Europese Hof van Justitie"]), kb_id="eu-cjeu")
    c = score([doc(actors=[g])], [doc(actors=[p])])["nl"]["actors"]
    assert (c.tp, c.fp, c.fn) == (1, 0, 0)
    # without a shared entry, different names stay different actors
    c = score([doc(actors=[dict(g, kb_id=None)])], [doc(actors=[p])])["nl"]["actors"]
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)
