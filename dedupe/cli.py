"""The `dedupe` command line: thin click commands over library functions.

Library code raises `DedupeError`s; only this module turns them into messages and exit codes.
Heavy libraries are imported inside the commands that need them, so `dedupe --help` is instant.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

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
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DedupeError as exc:
            click.echo(f"dedupe: error: {exc}", err=True)
            sys.exit(exc.exit_code)

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
@click.argument("inputs", nargs=-1, required=True)
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
@click.option(
    "--officeholders",
    "officeholders",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Extra officeholder CSV (same columns as the bundled table); repeatable.",
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
) -> None:
    """Read articles (files, folders or - for stdin) into the store and write the reports.

    \b
    Example:
        dedupe run seeds/
        dedupe run inbox/ --store news.db --out tonight/
    """
    from dedupe.pipeline import run
    from dedupe.report.render import FORMATS
    from dedupe.settings import load_settings

    settings = load_settings(config, officeholders=list(officeholders) or None)
    result = run(
        inputs,
        settings,
        store,
        out,
        now=dt.datetime.now().astimezone(),
        manifest=manifest,
        formats=formats or FORMATS,
        progress=make_progress(quiet),
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


@cli.group("eval")
def eval_group() -> None:
    """Measure dedupe on labelled data and print the scores."""


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


def main() -> None:
    cli(prog_name="dedupe")
