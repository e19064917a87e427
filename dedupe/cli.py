"""The `dedupe` command line: thin click commands over library functions.

Library code raises `DedupeError`s; only this module turns them into messages and exit codes.
Heavy libraries are imported inside the commands that need them, so `dedupe --help` is instant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click

from dedupe.engines import ENGINES
from dedupe.errors import DedupeError

DEFAULT_STORE = "reports/dedupe.db"
DEFAULT_OUT = "reports"


def _quiet_libraries() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        default=DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite store that keeps articles, claims, vectors and results.",
    )(f)


def config_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False),
        help="TOML settings file (a [dedupe] table or top-level keys).",
    )(f)


def quiet_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-q", "--quiet", is_flag=True, help="No progress bars or summary, only errors."
    )(f)


def docs_format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "file_format",
        type=click.Choice(["auto", "ecbplus", "stories"]),
        default="auto",
        show_default=True,
        help="ECB+ documents or story files (one article a line with a gold 'story'); "
        "auto tells them apart by each file's first line.",
    )(f)


def officeholders_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--officeholders",
        "officeholders",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="Extra officeholder CSV (same columns as the bundled table); repeatable.",
    )(f)


def make_progress(quiet: bool) -> Callable[[Iterable[Any], int, str], Iterable[Any]]:
    """A tqdm progress bar on stderr for long stages, unless quiet."""

    def progress(items: Iterable[Any], total: int, desc: str) -> Iterable[Any]:
        if quiet or total < 20:
            return items
        from tqdm import tqdm

        return tqdm(
            items,
            total=total,
            desc=desc,
            unit="batch" if desc == "embed" else "item",
            leave=False,
            file=sys.stderr,
        )

    return progress


def handle_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """DedupeErrors as one line and their exit code; anything unforeseen as one line and exit
    code 1, its traceback only with -v."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DedupeError as exc:
            click.echo(f"dedupe: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            verbose = click.get_current_context().find_root().params.get("verbose")
            if verbose:
                click.echo(traceback.format_exc(), err=True, nl=False)
            hint = "" if verbose else " (-v shows where)"
            click.echo(f"dedupe: error: unexpected {type(exc).__name__}: {exc}{hint}", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-dedupe")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """dedupe: find which news articles report the same event, and where sources disagree."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    _quiet_libraries()


@cli.command("run")
@click.argument("inputs", nargs=-1)
@store_option
@config_option
@quiet_option
@click.option(
    "--out",
    default=DEFAULT_OUT,
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for report.html, report.md, report.json and findings.csv.",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON mapping file names to {published, source, url}; a manifest.json in "
    "an input folder is read automatically.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "md", "json", "csv"]),
    help="Report formats to write (repeatable; default all).",
)
@officeholders_option
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    help="RSS/Atom feed file or http(s) URL, read as a feed whatever its name; repeatable.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="Where claims are extracted and embedded: this process, or actor pools on a Ray "
    "cluster (pip install 'news-dedupe[ray]').",
)
@click.option(
    "--address",
    help="The Ray cluster of --engine ray: host:port of its head or ray://host:port "
    "(default: $RAY_ADDRESS, else a Ray started on this machine).",
)
@handle_errors
def run_command(
    inputs: tuple[str, ...],
    store: str,
    config: str | None,
    quiet: bool,
    out: str,
    manifest: str | None,
    formats: tuple[str, ...],
    officeholders: tuple[str, ...],
    feeds: tuple[str, ...],
    engine: str,
    address: str | None,
) -> None:
    """Read articles (files, folders, feeds or - for stdin) into the store and write the reports.

    \b
    Example:
        dedupe run seeds/
        dedupe run inbox/ --store news.db --out tonight/
        dedupe run --feed https://example.com/rss.xml --feed wires.feeds
        dedupe run inbox/ --engine ray --address 10.0.0.5:6379
    """
    from dedupe.engines import open_engine
    from dedupe.pipeline import run
    from dedupe.report.render import FORMATS
    from dedupe.settings import load_settings

    if not inputs and not feeds:
        raise click.UsageError("give at least one input (file, folder or -) or --feed")
    settings = load_settings(config, officeholders=list(officeholders) or None)
    with open_engine(engine, address) as chosen:
        result = run(
            inputs,
            settings,
            store,
            out,
            now=dt.datetime.now().astimezone(),
            manifest=manifest,
            formats=formats or FORMATS,
            progress=make_progress(quiet),
            feeds=feeds,
            engine=chosen,
        )
    for failure in result.failures:
        click.echo(f"dedupe: skipped {failure.path}: {failure.reason}", err=True)
    if not quiet:
        s = result.report["summary"]
        st = result.stats
        click.echo(
            f"run {result.run_id}: {s['articles']} articles ({st.articles_new} new, "
            f"{st.articles_changed} changed, {st.articles_unchanged} unchanged, "
            f"{st.articles_failed} unreadable), {s['claims']} claims "
            f"({st.claims_embedded} embedded), {s['events']} events, "
            f"{s['findings']} findings"
        )
        for path in result.paths:
            click.echo(f"  wrote {path}")


@cli.command("review")
@click.argument("finding_id")
@click.option("--confirm", is_flag=True, help="The conflict is real.")
@click.option(
    "--dismiss",
    is_flag=True,
    help="Not a real conflict: keep it out of reports while its evidence stays the same.",
)
@click.option("--note", help="Why, for the next editor.")
@click.option("--by", "by", help="Who decided (default: $USER).")
@store_option
@handle_errors
def review_command(
    finding_id: str, confirm: bool, dismiss: bool, note: str | None, by: str | None, store: str
) -> None:
    """Record an editor's decision on a finding (the report shows each finding's command).

    \b
    Example:
        dedupe review fnd-9dba7f3a763ef31f --dismiss --note "quote is about 2017"
        dedupe review fnd-9dba7f3a763ef31f --confirm --by ana --store news.db
    """
    from dedupe.store.review import record_decision

    if confirm == dismiss:
        raise click.UsageError("say either --confirm or --dismiss")
    decision = "confirm" if confirm else "dismiss"
    state = record_decision(
        store,
        finding_id,
        decision,
        now=dt.datetime.now().astimezone(),
        note=note,
        by=by or os.environ.get("USER") or None,
    )
    click.echo(
        f"{state['id']} ({state['kind']}: {state['subject']}) is now {state['status']}"
        + (f" by {state['by']}" if state["by"] else "")
        + f" at {state['at']}"
    )


@cli.command("findings")
@store_option
@click.option(
    "--kind", "kinds", multiple=True, help="Only this type (officeholder, date, ...); repeatable."
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.Choice(["error", "warning", "info"]),
    help="Only this severity; repeatable.",
)
@click.option("--event", "event_id", help="Only findings of this event id.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only findings first reported on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["open", "confirmed", "dismissed"]),
    help="Only this review status; repeatable (default: open and confirmed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people or JSON for scripts.",
)
@handle_errors
def findings_command(
    store: str,
    kinds: tuple[str, ...],
    severities: tuple[str, ...],
    event_id: str | None,
    since: dt.datetime | None,
    statuses: tuple[str, ...],
    fmt: str,
) -> None:
    """List the findings of the last run that are still open (dismissed ones are left out).

    \b
    Example:
        dedupe findings --store news.db
        dedupe findings --severity error --since 2025-10-01 --format json
    """
    import json

    from dedupe.store.review import FindingFilter, findings_table, list_findings

    keep = FindingFilter(
        kinds=kinds,
        severities=severities,
        event_id=event_id,
        since=since.date() if since else None,
        statuses=statuses or ("open", "confirmed"),
    )
    rows = list_findings(store, keep)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif rows:
        click.echo(findings_table(rows))
    else:
        click.echo("no findings match", err=True)


@cli.group("kb")
def kb_group() -> None:
    """Ask the officeholder table (bundled, plus your CSVs) who held which office when."""


@kb_group.command("who")
@click.argument("office")
@click.argument("date", type=click.DateTime(formats=["%Y-%m-%d"]))
@config_option
@officeholders_option
@handle_errors
def kb_who_command(
    office: str, date: dt.datetime, config: str | None, officeholders: tuple[str, ...]
) -> None:
    """Who held OFFICE on DATE (YYYY-MM-DD).

    \b
    Example:
        dedupe kb who "U.S. President" 2024-09-19
        dedupe kb who "German Chancellor" 2025-10-15
    """
    from dedupe.knowledge.officeholders import load_officeholders, who_held
    from dedupe.settings import load_settings

    settings = load_settings(config, officeholders=list(officeholders) or None)
    answers = who_held(load_officeholders(settings.officeholders), office, date.date())
    if not answers:
        click.echo(f"no holder of {office!r} on {date.date()} in the officeholder table")
    for answer in answers:
        click.echo(answer.describe())


@kb_group.command("person")
@click.argument("name")
@config_option
@officeholders_option
@handle_errors
def kb_person_command(name: str, config: str | None, officeholders: tuple[str, ...]) -> None:
    """Every office the table records for NAME.

    \b
    Example:
        dedupe kb person "Olaf Scholz"
    """
    from dedupe.knowledge.officeholders import load_officeholders, offices_of
    from dedupe.settings import load_settings

    settings = load_settings(config, officeholders=list(officeholders) or None)
    answers = offices_of(load_officeholders(settings.officeholders), name)
    if not answers:
        click.echo(f"{name!r} is not in the officeholder table")
    for answer in answers:
        click.echo(answer.describe())


@cli.group("eval")
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
    import json
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
    import json

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
    import json

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
    import json
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


def main() -> None:
    cli(prog_name="dedupe")
