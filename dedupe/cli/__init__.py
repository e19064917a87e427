"""The `dedupe` command line: thin click commands over library functions, a module per group.

Library code raises `DedupeError`s; only this package turns them into messages and exit codes
(`options.handle_errors`). Heavy libraries are imported inside the commands that need them, so
`dedupe --help` is instant.
"""

from __future__ import annotations

import logging

import click

from dedupe.cli.evaluate import eval_group
from dedupe.cli.kb import kb_group
from dedupe.cli.options import quiet_libraries
from dedupe.cli.store_commands import findings_command, review_command, run_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-dedupe")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """dedupe: find which news articles report the same event, and where sources disagree."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries()


for command in (run_command, review_command, findings_command, kb_group, eval_group):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="dedupe")
