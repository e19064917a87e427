"""What the commands share: options, progress bars, and turning errors into messages."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click

from dedupe.errors import DedupeError

DEFAULT_STORE = "reports/dedupe.db"
DEFAULT_OUT = "reports"


def quiet_libraries() -> None:
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
