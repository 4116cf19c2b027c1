"""The `privnews` command line: parse arguments, dispatch, print. No logic of its own."""
from __future__ import annotations

import csv
import importlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from flows.runlock import run_lock
from flows.settings import ConfigError, load_settings
from warehouse.db import WarehouseError, connect

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="privnews: privacy-news facts (actors, statistics, legal claims) from Dutch and English feeds.")
console = Console()
err = Console(stderr=True)

DbOption = typer.Option(None, "--db", help="DuckDB file (default: PRIVNEWS_DB or data/privnews.duckdb).")


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def settings_or_fail(**overrides):
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        fail(str(exc))


def print_rows(columns: list[str], rows: list, fmt: str = "table", title: str | None = None) -> None:
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=title, show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


@app.command()
def run(db: Optional[Path] = DbOption,
        profile: Optional[str] = typer.Option(None, help="Feed registry profile (default: sample)."),
        digest: bool = typer.Option(True, help="Write the default subscription's digest.")) -> None:
    """Run the main job once: ingest feeds, extract facts, load them, write the digest, print a summary."""
    from flows.prefect_server import PrefectServerError, ephemeral_api
    from flows.torchless import import_without_torch
    from nlp.located_model import ModelMissing

    settings = settings_or_fail(db=db, profile=profile)
    try:
        with run_lock(settings.db, settings.lock_timeout):
            # Fail before the flow starts (and before the pipeline's imports) if another process holds the
            # database, so the user gets one clear line instead of the flow engine's traceback.
            connect(settings.db, lock_timeout=settings.lock_timeout).close()
            # a Prefect API server that dies with this process; the pipeline is imported while it starts,
            # without torch unless the NER backend needs it
            with ephemeral_api(warm_up=lambda: import_without_torch("flows.pipeline", settings.ner_backend)):
                from flows.pipeline import run_all

                counts = run_all(settings, digest=digest)
    except (WarehouseError, ConfigError, PrefectServerError, ModelMissing) as exc:
        fail(str(exc))  # a missing model: the ingested articles stay stored and the next run extracts them
    from flows.summary import print_summary

    print_summary(settings, counts, console)


@app.command()
def extract(files: list[Path] = typer.Argument(None, help="Plain-text files, one document each."),
            jsonl: Optional[str] = typer.Option(None, "--jsonl", help='JSONL input ("-" = stdin), lines {"id","text"}.'),
            lang: str = typer.Option("auto", help="nl | en | auto"),
            ner_backend: Optional[str] = typer.Option(None, "--ner-backend", help="spacy | transformers")) -> None:
    """Print the facts of each document as one JSON object per line (the fact contract), in input order."""
    from flows.documents import read_documents
    from flows.extract import get_extractor

    if lang not in ("nl", "en", "auto"):
        fail(f"--lang must be nl, en or auto, not {lang!r}")
    settings = settings_or_fail(ner_backend=ner_backend)
    try:
        docs = list(read_documents(files or [], jsonl))
    except ValueError as exc:
        fail(str(exc))
    if not docs:
        fail("nothing to extract: give FILE arguments or --jsonl IN")
    try:
        for facts in get_extractor(settings).extract_many(docs, lang=lang):
            sys.stdout.write(json.dumps(facts, ensure_ascii=False) + "\n")
    except RuntimeError as exc:  # a model that is not there (e.g. the transformers backend before training)
        fail(str(exc))


@app.command()
def query(sql: str = typer.Argument(..., help="One read-only SQL query (SELECT)."),
          db: Optional[Path] = DbOption,
          format: str = typer.Option("table", "--format", help="table | csv | json")) -> None:
    """Run a read-only SQL query on the warehouse and print the result."""
    from warehouse.query import run_query

    if format not in ("table", "csv", "json"):
        fail("--format must be table, csv or json")
    settings = settings_or_fail(db=db)
    try:
        columns, rows = run_query(settings.db, sql, lock_timeout=settings.lock_timeout)
    except WarehouseError as exc:
        fail(str(exc))
    print_rows(columns, rows, format)


@app.command("eval")
def evaluate(gold: Path = typer.Option(..., "--gold", exists=True, dir_okay=False, help="Gold JSONL (fact contract + text)."),
             pred: Optional[Path] = typer.Option(None, "--pred", help="Predictions JSONL; default: run the extractor."),
             ner_backend: Optional[str] = typer.Option(None, "--ner-backend"),
             format: str = typer.Option("table", "--format", help="table | markdown | json"),
             show_errors: bool = typer.Option(False, "--errors", help="Also list every missed, invented or misattributed fact."),
             ids: Optional[str] = typer.Option(None, "--ids", help="Score only these documents: a regular expression "
                                               "their ids must match in full, e.g. 'nl-20[7-9]|nl-21[0-2]|en-20[7-9]|en-21[0-2]'.")) -> None:
    """Score extraction against a gold file, per language (precision, recall, F1, attribute accuracy)."""
    from flows.documents import read_jsonl
    from flows.extract import get_extractor
    from nlp.evaluate import markdown, rows, score

    settings = settings_or_fail(ner_backend=ner_backend)
    try:
        gold_docs = read_jsonl(gold)
        if ids:
            try:
                wanted = re.compile(ids)
            except re.error as exc:
                raise ValueError(f"--ids {ids!r} is not a regular expression ({exc}); e.g. --ids 'nl-2\\d\\d'") from exc
            gold_docs = [d for d in gold_docs if wanted.fullmatch(str(d.get("id", "")))]
            if not gold_docs:
                raise ValueError(f"no document of {gold} has an id matching --ids {ids!r}")
        if pred:
            pred_docs = read_jsonl(pred, required="id")
        else:
            pred_docs = list(get_extractor(settings).extract_many(
                [{"id": d["id"], "text": d["text"], "lang": d.get("lang", "auto")} for d in gold_docs]))
    except ValueError as exc:
        fail(str(exc))
    table = score(gold_docs, pred_docs)
    if show_errors:
        from nlp.evaluate import errors
        for e in errors(gold_docs, pred_docs):
            print("\t".join([e["id"], e["facts"], e["error"], e.get("gold") or "-", e.get("pred") or "-"]))
        print()
    if format == "markdown":
        print(markdown(table))
    elif format == "json":
        print(json.dumps(rows(table), indent=1))
    else:
        data = rows(table)
        print_rows(list(data[0]), [list(r.values()) for r in data], "table", title=f"privnews eval: {gold.name}")


@app.command()
def config() -> None:
    """Print the effective settings (secrets masked)."""
    settings = settings_or_fail()
    print(json.dumps(settings.masked(), indent=2))


@app.command()
def reprocess(db: Optional[Path] = DbOption,
              all_articles: bool = typer.Option(False, "--all", help="Re-extract every article, not only stale ones.")) -> None:
    """Re-run extraction on stored articles (e.g. after a model update) without refetching anything."""
    from flows.extract import extract_pending
    from flows.prefect_server import PrefectServerError, ephemeral_api

    settings = settings_or_fail(db=db)
    try:
        with run_lock(settings.db, settings.lock_timeout), ephemeral_api():
            counts = extract_pending(settings, force=all_articles)
    except (WarehouseError, PrefectServerError) as exc:
        fail(str(exc))
    print_rows(list(counts), [list(counts.values())])


@app.command()
def train(backend: str = typer.Option("spacy", help="spacy (Dutch NER) | transformers"),
          task: str = typer.Option("ner", help="ner | claim-kinds (the classifiers that revise the rule claims; "
                                               "spacy) | claim-roles (the claimant/target ranker; spacy) | claims "
                                               "(the claim-sentence classifier; transformers)"),
          output: Optional[Path] = typer.Option(None, help="Where to write the model.")) -> None:
    """Train the statistical models on the project's own annotated data (offline, reproducible)."""
    if task not in ("ner", "claims", "claim-kinds", "claim-roles") or (task == "claims" and backend != "transformers") \
            or (task in ("claim-kinds", "claim-roles") and backend != "spacy"):
        fail("--task must be ner, claim-kinds or claim-roles (spacy backend),\nor claims with --backend transformers")
    if task == "claim-roles":
        from models.training.train_claim_roles import train as train_roles

        print(json.dumps(train_roles(output), indent=1, default=str))
    elif task == "claim-kinds":
        from models.training.train_claim_kinds import TrainingError as KindsError, train as train_kinds

        try:
            metrics = train_kinds(output)
        except KindsError as exc:
            fail(str(exc))
        print(json.dumps(metrics, indent=1, default=str))
    elif task == "claims":
        from models.training.train_claims import TrainingError, train as train_claims

        settings = settings_or_fail()
        try:
            path = train_claims(output or settings.data_dir / "models", base=settings.hf_base_model)
        except TrainingError as exc:
            fail(str(exc))
        print(f"model written to {path}")
    elif backend == "spacy":
        from models.training.train_ner import DEFAULT_OUTPUT, train as train_spacy

        metrics = train_spacy(output or DEFAULT_OUTPUT)
        print(json.dumps(metrics, indent=1, default=str))
    elif backend == "transformers":
        from models.training.train_hf import train as train_hf

        settings = settings_or_fail()
        path = train_hf(output or settings.data_dir / "models", base=settings.hf_base_model)
        print(f"model written to {path}")
    else:
        fail("--backend must be spacy or transformers")


def _register_plugins() -> None:
    """Commands that live with their feature (ingest, digest) register themselves here."""
    for module in ("flows.ingest.commands", "flows.digest.commands"):
        try:
            importlib.import_module(module).register(app)
        except ModuleNotFoundError as exc:
            if not (exc.name and (module == exc.name or module.startswith(exc.name + "."))):
                raise


_register_plugins()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
