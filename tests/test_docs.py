"""The README and docs/ against the real CLI and settings (sqlite-utils' test_docs): every
command, option and setting is documented, and everything documented exists."""

import dataclasses
import re
import shlex

import click
import pytest

from dedupe.cli import cli
from dedupe.settings import Settings

from .conftest import ROOT

PAGES = {
    p.relative_to(ROOT).as_posix(): p.read_text()
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
}
DOCS = "\n".join(PAGES.values())
# what click's parser leaves for an option not given (None before click 8.3)
_UNSET = getattr(click.core, "UNSET", None)
SETTINGS = {f.name for f in dataclasses.fields(Settings)}


def commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


def command_lines(text):
    """Each `dedupe ...` command in the page's bash blocks and at the start of its table rows
    (the README's command table), without comments."""
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    lines += re.findall(r"^\| `(dedupe [^`]*)`", text, re.M)
    for line in lines:
        for part in re.split(r"\||&&", line.split(" #")[0]):
            words = shlex.split(part)
            if words[:1] == ["dedupe"] and len(words) > 1 and not words[1].startswith("..."):
                yield words[1:]


def parse(words):
    """Parse a command line with click's own parser, as `dedupe` would; returns the command.
    Values are converted by their types (choices, dates), except paths, which need not exist."""
    command, ctx, rest = cli, None, list(words)
    while True:
        ctx = click.Context(command, info_name=command.name, parent=ctx)
        opts, rest, order = command.make_parser(ctx).parse_args(rest)
        for param in command.params:
            value = opts.get(param.name)
            if value is _UNSET:
                value = None
            if value is None and param.required:
                raise click.MissingParameter(ctx=ctx, param=param)
            if value is not None and not isinstance(param.type, click.Path):
                param.type_cast_value(ctx, value)
        if not isinstance(command, click.Group):
            assert not rest, f"unexpected arguments {rest}"
            return command
        assert rest, "a group needs a command"
        command = command.get_command(ctx, rest[0])
        assert command is not None, f"no command {rest[0]!r}"
        rest = rest[1:]


def _section(name):
    """The part of docs/commands.md under the heading that names `dedupe NAME`."""
    text = PAGES["docs/commands.md"]
    start = re.search(rf"^## .*`dedupe {name}[ `]", text, re.M)
    assert start, f"docs/commands.md has no section for `dedupe {name}`"
    end = text.find("\n## ", start.end())
    return text[start.start() : end if end > 0 else len(text)]


def _options(command):
    return {o for p in command.params for o in getattr(p, "opts", []) if o.startswith("--")}


DOCUMENTED = sorted(
    {(page, shlex.join(w)) for page, text in PAGES.items() for w in command_lines(text)}
)


def test_the_pages_show_command_lines():
    # the README's command table and docs/commands.md's examples, at least one per command
    assert len(DOCUMENTED) >= len(list(commands(cli)))


@pytest.mark.parametrize("page,line", DOCUMENTED)
def test_documented_command_line_parses(page, line):
    try:
        parse(shlex.split(line))
    except click.UsageError as error:
        pytest.fail(f"{page}: `dedupe {line}` does not parse: {error.format_message()}")


def test_parse_refuses_what_the_cli_refuses():
    # the checker itself: an option the CLI lacks, a bad choice and a stray argument all fail
    parse(["run", "seeds/", "--format", "json"])
    for bad in (["run", "--no-such-option"], ["findings", "--format", "xml"], ["kb", "who"]):
        with pytest.raises((click.UsageError, AssertionError)):
            parse(bad)
    with pytest.raises(AssertionError):
        parse(["review", "fnd-1", "--confirm", "extra"])


@pytest.mark.parametrize("name,command", list(commands(cli)))
def test_command_and_its_options_are_documented(name, command):
    section = _section(name)
    for opt in sorted(_options(command) - {"--help"}):
        assert opt in section, f"docs/commands.md lacks option {opt} of `dedupe {name}`"


@pytest.mark.parametrize("name,command", [c for c in commands(cli) if _options(c[1]) - {"--help"}])
def test_every_documented_option_exists(name, command):
    real = _options(command)
    table = re.findall(r"^\| `(--[a-z-]+)", _section(name), re.M)
    assert table, f"docs/commands.md has no option table for `dedupe {name}`"
    for opt in table:
        assert opt in real, f"docs/commands.md documents {opt}, which `dedupe {name}` lacks"


@pytest.mark.parametrize("field", sorted(SETTINGS))
def test_setting_is_documented(field):
    assert re.search(rf"^\| `{field}` \|", PAGES["docs/settings.md"], re.M), f"docs lack `{field}`"


def test_every_documented_setting_exists():
    named = re.findall(r"^\| `([a-z_]+)` \|", PAGES["docs/settings.md"], re.M)
    assert set(named) >= SETTINGS  # the table is the whole list
    assert set(named) <= SETTINGS, (
        f"docs/settings.md names settings that do not exist: {set(named) - SETTINGS}"
    )
