"""`privnews extract`: the fact contract on stdout, input order kept, bad input rejected clearly."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"
TEXT_NL = ("De Autoriteit Persoonsgegevens (AP) legt het Amsterdamse bedrijf Meta een boete op van "
           "2,5 miljoen euro. Volgens de AP ontbrak een geldige grondslag.")
TEXT_EN = "The ICO fined TikTok £12.7 million for misusing children's data, the regulator said on Tuesday."


def check_contract(obj: dict, text: str) -> None:
    assert set(obj) == {"id", "lang", "actors", "statistics", "claims"}
    for actor in obj["actors"]:
        assert set(actor) == {"name", "type", "kb_id", "mentions"}
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    for fact in obj["statistics"] + obj["claims"]:
        assert text[fact["start"]:fact["end"]] == fact["text"]


def test_files_and_jsonl_in_input_order(tmp_path):
    nl = tmp_path / "nl.txt"
    nl.write_text(TEXT_NL, encoding="utf-8")
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in (("b", TEXT_EN), ("a", TEXT_NL)))
    result = CliRunner().invoke(app, ["extract", str(nl), "--jsonl", "-"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [str(nl), "b", "a"]
    assert [o["lang"] for o in out] == ["nl", "en", "nl"]
    for obj, text in zip(out, (TEXT_NL, TEXT_EN, TEXT_NL)):
        check_contract(obj, text)
    assert any(s["unit"] == "GBP" and s["value"] == 12_700_000 for s in out[1]["statistics"])
    assert any(c["kind"] == "fine" for c in out[1]["claims"])


def test_forced_language(tmp_path):
    result = CliRunner().invoke(app, ["extract", "--jsonl", "-", "--lang", "en"],
                                input=json.dumps({"id": "x", "text": TEXT_NL}) + "\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["lang"] == "en"


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 1: not valid JSON"),
    ('{"id": "x"}', 'string "text" field'),
])
def test_bad_jsonl_is_named(line, message):
    result = CliRunner().invoke(app, ["extract", "--jsonl", "-"], input=line + "\n")
    assert result.exit_code == 2
    assert message in result.output


def test_non_utf8_file_is_rejected_with_advice(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("De boete bedroeg € 5 miljoen".encode("cp1252"))
    result = CliRunner().invoke(app, ["extract", str(f)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output and "iconv" in result.output


@pytest.mark.skipif(not (SEED / "article.txt").exists(), reason="shared seed article not present")
def test_seed_article_offsets_valid():
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(SEED / "article.txt")])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["lang"] == "nl"
    check_contract(obj, text)


def test_eval_scores_what_extract_printed(tmp_path):
    """`privnews extract` output (no text field) is accepted by `privnews eval --pred`, with the same scores as
    extracting inside eval; --errors lists the gold fact the prediction misses."""
    gold = {"id": "g1", "lang": "en", "text": TEXT_EN, "actors": [], "statistics": [], "claims": [
        {"kind": "complaint", "text": "misusing", "start": 41, "end": 49, "claimant": "x", "target": "y"}]}
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    extracted = CliRunner().invoke(app, ["extract", "--jsonl", str(gold_file)])
    assert extracted.exit_code == 0, extracted.output
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text(extracted.stdout, encoding="utf-8")
    from_file = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--pred", str(pred_file),
                                         "--format", "json", "--errors"])
    inline = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--format", "json"])
    assert from_file.exit_code == 0 and inline.exit_code == 0, from_file.output + inline.output
    assert "g1\tclaims\tfn\tcomplaint: misusing" in from_file.stdout
    assert from_file.stdout.endswith(inline.stdout)


def test_eval_ids_scores_only_the_matching_documents(tmp_path):
    """--ids keeps the documents whose id matches in full (a held-out batch of the test split, say); a pattern
    that matches none or is no regular expression is a clear error."""
    docs = [{"id": i, "lang": "en", "text": TEXT_EN, "actors": [], "statistics": [], "claims": [
        {"kind": "complaint", "text": "misusing", "start": 41, "end": 49, "claimant": "x", "target": "y"}]}
        for i in ("en-1", "en-10")]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    one = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--ids", "en-1", "--format", "json"])
    both = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--format", "json"])
    assert one.exit_code == 0 and both.exit_code == 0, one.output + both.output
    claims = lambda out: next(r for r in json.loads(out) if r["lang"] == "all" and r["facts"] == "claims")  # noqa: E731
    assert claims(one.stdout)["gold"] == 1 and claims(both.stdout)["gold"] == 2
    none = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--ids", "nl-.*"])
    bad = CliRunner().invoke(app, ["eval", "--gold", str(gold_file), "--ids", "("])
    assert none.exit_code != 0 and "no document" in none.output
    assert bad.exit_code != 0 and "not a regular expression" in bad.output
