"""The learned claimant/target ranker (nlp/claim_roles.py, models/training/train_claim_roles.py)."""
from __future__ import annotations

import json

import pytest

from nlp.claim_roles import ClaimRoleModelMissing, candidates, claim_features, rerank
from nlp.pipeline import EXTRACTOR_VERSION, build_nlp

TEXT = "The CNIL fined Acme EUR 5 million. Acme's customers complained first. Acme will appeal."
ACTORS = [
    {"name": "CNIL", "type": "regulator", "mentions": [{"text": "CNIL", "start": 4, "end": 8}]},
    {"name": "Acme", "type": "company", "mentions": [{"text": "Acme", "start": s, "end": s + 4}
                                                     for s in (15, 35, 71)]},
]


def _claim(kind, start, end, claimant, target):
    return {"kind": kind, "start": start, "end": end, "text": TEXT[start:end], "claimant": claimant, "target": target}


def test_candidates_are_the_actors_nobody_and_a_description_the_rules_chose():
    claim = _claim("complaint", 35, 68, "Acme's customers", "Acme")
    names = [c[0] for c in candidates(ACTORS, claim, "claimant")]
    assert names == ["CNIL", "Acme", None, "Acme's customers"]
    assert [c[0] for c in candidates(ACTORS, claim, "target")] == ["CNIL", "Acme", None]


def test_features_describe_the_candidate_against_the_claim():
    fine = _claim("fine", 9, 33, "CNIL", "Acme")
    (claim, cands, feats), = claim_features(TEXT, [fine], ACTORS, "target")
    acme = feats[[c[0] for c in cands].index("Acme")]
    assert acme["is_rule"] == 1.0 and acme["inside"] == 1.0 and acme["type=company"] == 1.0
    assert acme["pw=fined"] == 1.0 and acme["count_b1"] == 1.0 and acme["lead"] == 1.0
    cnil = feats[0]
    assert cnil["is_rule"] == 0.0 and cnil["is_other_role"] == 1.0 and cnil["before_b0"] == 1.0


def test_an_appeal_knows_who_decided_against_its_appellant_and_whether_a_party_is_on_both_sides():
    fine = _claim("fine", 9, 33, "CNIL", "Acme")
    appeal = _claim("appeal", 71, 87, "Acme", "Acme")
    (_, cands, feats), = [row for row in claim_features(TEXT, [fine, appeal], ACTORS, "target") if row[0] is appeal]
    by_name = dict(zip([c[0] for c in cands], feats))
    assert by_name["CNIL"]["kind=appeal|decided_against_other"] == 1.0           # the CNIL fined Acme
    assert "kind=appeal|decided_against_other" not in by_name["Acme"]
    assert by_name["Acme"]["kind=appeal|is_other_role=True"] == 1.0               # Acme appealing against itself
    assert by_name["CNIL"]["kind=appeal|is_other_role=False"] == 1.0
    against_cnil = _claim("appeal", 71, 87, None, "CNIL")      # the appellant is whom the target decided against
    (_, cands, feats), = [row for row in claim_features(TEXT, [fine, against_cnil], ACTORS, "claimant")
                          if row[0] is against_cnil]
    by_name = dict(zip([c[0] for c in cands], feats))
    assert by_name["Acme"]["kind=appeal|other_decided_against_it"] == 1.0
    assert "kind=appeal|other_decided_against_it" not in by_name["CNIL"]


def test_rerank_takes_the_best_scoring_candidate_and_the_rules_choice_on_a_tie():
    appeal = _claim("appeal", 71, 87, "Acme", None)
    weights = {"target": {"type=regulator": 2.0, "is_rule": 1.0}}
    out = rerank(TEXT, [appeal], ACTORS, weights)
    assert out[0]["target"] == "CNIL" and out[0]["claimant"] == "Acme"   # no claimant weights: untouched
    assert appeal["target"] is None                                      # the input is not changed
    tie = rerank(TEXT, [appeal], ACTORS, {"target": {"type=regulator": 1.0, "nobody": 1.0}})
    assert tie[0]["target"] is None                                      # "nobody" was the rules' choice
    assert rerank(TEXT, [appeal], ACTORS, {}) == [appeal]


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    from models.training.train_claim_roles import train

    path = tmp_path_factory.mktemp("roles") / "weights.json"
    metrics = train(path, limit=10)
    return path, metrics


@pytest.mark.slow
def test_training_writes_reproducible_weights_for_both_roles(small_model, tmp_path):
    from models.training.train_claim_roles import train

    path, metrics = small_model
    data = json.loads(path.read_text())
    assert data["extractor_version"] == EXTRACTOR_VERSION
    assert data["weights"]["target"] and data["weights"]["claimant"]
    assert metrics["articles"] == 20 and metrics["target_claims"] > 20
    train(tmp_path / "again.json", limit=10)
    assert json.loads((tmp_path / "again.json").read_text())["weights"] == data["weights"]


@pytest.mark.slow
def test_the_component_reranks_with_its_weights_and_refuses_a_stale_missing_or_broken_file(small_model, tmp_path):
    path, _ = small_model
    nlp = build_nlp("en", skip=("privnews_claim_roles",))
    pipe = nlp.add_pipe("privnews_claim_roles", config={"model": str(path)})
    doc_rules = build_nlp("en", skip=("privnews_claim_roles",))(TEXT)
    doc = nlp(TEXT)
    assert doc._.claims == rerank(TEXT, doc_rules._.claims, doc_rules._.actors, pipe.weights)

    stale = json.loads(path.read_text())
    stale["extractor_version"] = "0.0.1"
    (tmp_path / "stale.json").write_text(json.dumps(stale))
    (tmp_path / "broken.json").write_text("{not json")
    for name, words in (("stale.json", "must be retrained"), ("missing.json", "No claim-role model"),
                        ("broken.json", "unreadable")):
        bare = build_nlp("en", skip=("privnews_claim_roles",))
        with pytest.raises(ClaimRoleModelMissing, match=words) as err:
            bare.add_pipe("privnews_claim_roles", config={"model": str(tmp_path / name)})
        assert "make setup" in str(err.value)


def test_the_default_pipeline_ends_with_the_role_ranker():
    assert build_nlp("nl").pipe_names[-3:] == ["privnews_claims", "privnews_claim_kinds", "privnews_claim_roles"]


def test_a_saved_pipeline_keeps_only_the_models_location_and_loads_it_again(tmp_path):
    nlp = build_nlp("en")
    for name in ("privnews_claim_kinds", "privnews_claim_roles"):
        pipe = nlp.get_pipe(name)
        pipe.to_disk(tmp_path / name)
        assert json.loads((tmp_path / name / "model_location.json").read_text()) == {"location": str(pipe.location)}
        assert pipe.from_disk(tmp_path / name).location == pipe.location
    roles = nlp.get_pipe("privnews_claim_roles")
    before = roles.weights
    assert roles.from_bytes(roles.to_bytes()).weights == before


def test_training_on_rows_without_a_right_candidate_learns_nothing():
    from models.training.train_claim_roles import fit

    assert fit([]) == {}
    assert fit([([{"is_rule": 1.0}, {"is_rule": 0.0}], [False, False], False)]) == {}
