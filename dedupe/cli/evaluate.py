"""`dedupe eval`: scores on labelled data (events, conflicts, injected conflicts, findings)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from dedupe.cli.options import (
    config_option,
    docs_format_option,
    handle_errors,
    make_progress,
    quiet_option,
)


@click.group("eval")
def eval_group() -> None:
    """Measure dedupe on labelled data and print the scores."""


@eval_group.command("events")
@click.argument("docs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--split", help="Only the documents of this split (train or dev); default all.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option(
    "--tune",
    is_flag=True,
    help="Instead of scoring, choose weights and thresholds on all the files at once "
    "(use train parts).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False),
    help="SQLite store that caches claims and vectors between evaluations (default: none).",
)
@click.option(
    "--reuters",
    type=click.Path(exists=True, file_okay=False),
    help="Reuters-21578 folder: with --tune its different-company pairs are extra negatives; "
    "otherwise also count false merges on a slice of it.",
)
@docs_format_option
@config_option
@quiet_option
@handle_errors
def eval_events_command(
    docs: tuple[str, ...],
    split: str | None,
    as_json: bool,
    tune: bool,
    store: str | None,
    reuters: str | None,
    file_format: str,
    config: str | None,
    quiet: bool,
) -> None:
    """Group ECB+ documents (or the items of story files) into events and score them
    against the gold events, beside the TF-IDF and whole-document MiniLM baselines; each
    file is scored on its own, and --tune fits on all of them at once.

    \b
    Example:
        dedupe eval events ../shared/data/ecbplus/ecbplus_docs.jsonl --split dev
        dedupe eval events fnc1_stories.jsonl ecbplus_first.jsonl --split dev
        dedupe eval events ecbplus_docs.jsonl fnc1_stories.jsonl --split train --tune
        dedupe eval events ecbplus_docs.jsonl --split dev --reuters reuters21578/
    """
    import time

    from dedupe.evaluate import reuters as wire
    from dedupe.evaluate.events import evaluate_events, format_evaluation, load_corpus
    from dedupe.settings import load_settings

    started = time.perf_counter()
    settings = load_settings(config)
    progress = make_progress(quiet)
    corpora = [
        load_corpus(path, split, settings, store, progress=progress, file_format=file_format)
        for path in docs
    ]
    if tune:
        from dedupe.evaluate.tune import tune_events

        tuning = (
            wire.load_slice(reuters, *wire.TUNE_SLICE, settings, store, progress)
            if reuters
            else None
        )
        click.echo(tune_events(corpora, settings, wire=tuning).toml())
        return
    results = [evaluate_events(corpus, settings, split=split) for corpus in corpora]
    merges = None
    if reuters:
        checked = wire.load_slice(reuters, *wire.CHECK_SLICE, settings, store, progress)
        merges = wire.false_merges(wire.group_slice(checked, settings), checked.tickers)
    if as_json:
        scores = {path: result.to_json() for path, result in zip(docs, results, strict=True)}
        out: dict[str, Any] = scores[docs[0]] if len(docs) == 1 else scores
        if merges is not None:
            out["reuters"] = dataclasses.asdict(merges)
        click.echo(json.dumps(out, indent=2))
    else:
        for path, result in zip(docs, results, strict=True):
            click.echo((f"{path}\n" if len(docs) > 1 else "") + format_evaluation(result))
        if merges is not None:
            first, stop = wire.CHECK_SLICE
            click.echo(f"reuters articles {first}-{stop - 1}: {merges.describe()}")
    if not quiet:
        click.echo(f"took {time.perf_counter() - started:.1f} s", err=True)


@eval_group.command("conflicts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@handle_errors
def eval_conflicts_command(file: str, config: str | None, as_json: bool) -> None:
    """Score the consistency checks on SummEdits (document, summary) pairs.

    \b
    Example:
        dedupe eval conflicts ../shared/data/summedits-news/summedits_news_dev.json
        dedupe eval conflicts edits.json --json
    """

    from dedupe.evaluate.conflicts import evaluate_conflicts, format_table, read_pairs
    from dedupe.settings import load_settings

    result = evaluate_conflicts(read_pairs(file), load_settings(config))
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else format_table(result))


@eval_group.command("inject")
@click.argument("docs", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", help="Only the documents of this split (train or dev); default all.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option(
    "--seed", default=0, show_default=True, help="Seed that chooses where each conflict goes."
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["date", "number", "officeholder", "outcome", "place"]),
    help="Only this conflict type; repeatable (default: all five).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False),
    help="SQLite store for the clean run, caching claims and vectors (default: none).",
)
@config_option
@quiet_option
@handle_errors
def eval_inject_command(
    docs: str,
    split: str | None,
    as_json: bool,
    seed: int,
    types: tuple[str, ...],
    store: str | None,
    config: str | None,
    quiet: bool,
) -> None:
    """Inject typed conflicts into real same-event ECB+ articles and measure how many the
    checks find, and how often they report a finding on the untouched articles.

    \b
    Example:
        dedupe eval inject ../shared/data/ecbplus/ecbplus_docs.jsonl --split dev
        dedupe eval inject ecbplus_docs.jsonl --split dev --json --seed 1 --store /tmp/dev.db
    """

    from dedupe.evaluate.ecbplus import read_documents
    from dedupe.evaluate.inject import TYPES, evaluate_injections, format_table
    from dedupe.settings import load_settings

    result = evaluate_injections(
        read_documents(docs, split),
        load_settings(config),
        seed=seed,
        types=types or TYPES,
        store_path=store,
        progress=make_progress(quiet),
    )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(result))


@eval_group.command("findings")
@click.argument("docs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--split", help="Only the documents of this split (train or dev); default all.")
@docs_format_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts and sample as JSON.")
@click.option(
    "--sample",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Show this many findings, drawn at random, with both quotes.",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the random sample.")
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False),
    help="JSONL of labelled quote pairs: score precision and recall by kind.",
)
@click.option(
    "--part",
    type=click.Choice(["all", "tune", "test"]),
    default="all",
    show_default=True,
    help="With --labels, score this part of the labels; all scores tune, test and both.",
)
@click.option(
    "--store",
    type=click.Path(),
    help="SQLite store for the run, caching claims and vectors (default: none); with "
    "several files, a folder of one store per file.",
)
@config_option
@quiet_option
@handle_errors
def eval_findings_command(
    docs: tuple[str, ...],
    split: str | None,
    file_format: str,
    as_json: bool,
    sample: int,
    seed: int,
    labels: str | None,
    part: str,
    store: str | None,
    config: str | None,
    quiet: bool,
) -> None:
    """Run ECB+ documents or story files through dedupe (each file on its own) and show its
    findings per 100 articles by kind, a random sample of them to judge by hand, and with
    labels the precision and recall of each part.

    \b
    Example:
        dedupe eval findings ../shared/data/ecbplus/ecbplus_docs.jsonl --split dev --sample 10
        dedupe eval findings evaluation/findings/*.jsonl --labels evaluation/findings/labels.jsonl
        dedupe eval findings ecbplus_docs.jsonl --split dev --json --labels judged.jsonl
    """
    from pathlib import Path

    from dedupe.evaluate.findings import evaluate_findings, format_report
    from dedupe.evaluate.labels import PARTS, read_labels
    from dedupe.evaluate.runs import read_labelled
    from dedupe.settings import load_settings

    collections = [(Path(path).stem, read_labelled(path, split, file_format)) for path in docs]
    result = evaluate_findings(
        collections,
        load_settings(config),
        sample=sample,
        seed=seed,
        store_path=store,
        labels=read_labels(labels) if labels else None,
        parts=("all", *PARTS) if part == "all" else (part,),
        progress=make_progress(quiet),
    )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result))
