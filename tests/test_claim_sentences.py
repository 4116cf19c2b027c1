"""benchmarks.claim_sentences: sentence labels from claim spans, and a bag-of-words detector that learns them."""
from benchmarks.claim_sentences import counts, measure, prf, sentence_rows, train

DOC = {"id": "d1", "lang": "nl", "text": "De AP legt Uber een boete op. Het regent in Den Haag. De AP beboet Meta.",
       "claims": [{"kind": "fine", "start": 3, "end": 28}, {"kind": "violation", "start": 57, "end": 70}]}


def test_a_sentence_holds_a_claim_when_a_claim_span_overlaps_it():
    preds = {"d1": {"claims": [{"kind": "fine", "start": 3, "end": 28}]}}
    rows = sentence_rows([DOC], preds, None)["nl"]
    assert [(g, r) for _, g, r in rows] == [(True, True), (False, False), (True, False)]
    assert [g for _, g, _ in sentence_rows([DOC], preds, "violation")["nl"]] == [False, False, True]


def test_counts_and_scores():
    assert counts([True, True, False, False], [True, False, True, False]) == (1, 1, 1)
    assert prf(1, 1, 1) == "0.50 | 0.50 | 0.50"


def test_the_detector_learns_claim_words_and_reports_what_the_rules_missed():
    claim = ["De AP legt {} een boete op.", "Het bedrijf {} kreeg een boete van de toezichthouder.",
             "De toezichthouder beboet {} om cookies."]
    other = ["Het regent in {}.", "In {} scheen de zon.", "De trein naar {} had vertraging."]
    names = ["Uber", "Meta", "Google", "Bol", "Zalando", "Ahold", "Coolblue", "Picnic"]
    train_rows = [(t.format(n), True, True) for t in claim for n in names] + \
                 [(t.format(n), False, False) for t in other for n in names]
    eval_rows = [("De AP legt Tesla een boete op.", True, False), ("Het regent in Tesla.", False, False)]
    rows = measure(train("nl", train_rows), eval_rows, "nl")
    assert rows[0].startswith("| nl | rules | 0.00 | 0.00 | 0.00")
    assert "| nl | classifier >= 0.5 | 1.00 | 1.00 | 1.00 | 1 | 1 of 1 |" in rows, rows


def test_added_claims_go_where_the_detector_fires_and_no_rule_claim_is():
    from benchmarks.claim_sentences import kind_rows, with_added_claims

    fines = [f"De AP legt {n} een boete op." for n in ("Uber", "Meta", "Google", "Bol", "Ahold", "Picnic")]
    weather = [f"Het regent in {n}." for n in ("Utrecht", "Breda", "Delft", "Gouda", "Assen", "Venlo")]
    detectors = {"nl": train("nl", [(t, True, None) for t in fines] + [(t, False, None) for t in weather])}
    docs = [{"id": "k", "lang": "nl", "text": " ".join(fines), "claims": [
        {"kind": "fine", "start": 0, "end": 10}] + [{"kind": "order", "start": 30, "end": 40}]}]
    assert {k for _, k, _ in kind_rows(docs)["nl"]} == {"fine", "order"}
    kinds = {"nl": train("nl", kind_rows(docs)["nl"] + [(t, "fine", None) for t in fines])}
    text = "De AP legt Tesla een boete op. Het regent in Zwolle. De AP legt Zara een boete op."
    preds = {"e": {"claims": [{"kind": "fine", "start": 0, "end": 29, "claimant": "AP", "target": "Tesla"}]}}
    out = with_added_claims([{"id": "e", "lang": "nl", "text": text}], preds, detectors, kinds, 0.5)[0]["claims"]
    added = out[1:]
    assert [(c["text"], c["kind"], c["claimant"], c["target"]) for c in added] == [
        ("De AP legt Zara een boete op.", "fine", "AP", "Tesla")], added
