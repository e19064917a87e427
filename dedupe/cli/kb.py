"""`dedupe kb`: who held which office when, from the officeholder table."""

from __future__ import annotations

import datetime as dt

import click

from dedupe.cli.options import (
    config_option,
    handle_errors,
    officeholders_option,
)


@click.group("kb")
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
