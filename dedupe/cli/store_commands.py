"""`dedupe run` over inputs into a store, and the editor's commands on its findings."""

from __future__ import annotations

import datetime as dt
import json
import os

import click

from dedupe.cli.options import (
    DEFAULT_OUT,
    config_option,
    handle_errors,
    make_progress,
    officeholders_option,
    quiet_option,
    store_option,
)
from dedupe.engines import ENGINES


@click.command("run")
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


@click.command("review")
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


@click.command("findings")
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
