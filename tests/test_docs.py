"""Every CLI command, option and setting appears in the README (sqlite-utils' test_docs)."""

import dataclasses
import re

import click
import pytest

from dedupe.cli import cli
from dedupe.settings import Settings

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name,command", list(commands(cli)))
def test_command_and_its_options_are_documented(name, command):
    assert f"dedupe {name}" in README, f"README lacks `dedupe {name}`"
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"README lacks option {opt} of `dedupe {name}`"


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Settings)])
def test_setting_is_documented(field):
    assert re.search(rf"`{field}`", README), f"README lacks setting `{field}`"
