"""docs/cli.md has a section for every command registered on ``annotator.cli.cli``, with its options.

Generic on purpose: a command added later (export, figures, entities, agreement, merge, ...) fails
this test until it is documented.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from annotator.cli import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def sections() -> dict[str, str]:
    found: dict[str, str] = {}
    heading = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip().strip("`")
            found[heading] = ""
        elif heading is not None:
            found[heading] += line + "\n"
    return found


def option_names(command: click.Command) -> list[str]:
    """The long (or only) name of every option a user can pass, help excluded."""
    names = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            flags = [f for f in param.opts if f.startswith("--")] or param.opts
            names.append(flags[0])
    return names


COMMANDS = sorted(cli.commands)


def test_core_commands_are_registered() -> None:
    assert {"init", "import", "docs", "stats", "annotate", "gui"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_section(name: str) -> None:
    assert name in sections(), f"docs/cli.md has no '## {name}' section"


@pytest.mark.parametrize("name", COMMANDS)
def test_section_shows_usage_and_options(name: str) -> None:
    section = sections().get(name)
    if section is None:
        pytest.fail(f"docs/cli.md has no '## {name}' section")
    command = cli.commands[name]
    assert re.search(rf"annotator {re.escape(name)}\b", section), f"## {name}: show how to run it"
    for option in option_names(command):
        assert f"`{option}" in section, f"## {name}: option {option} is not documented"
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            assert re.search(rf"\b{re.escape(sub_name)}\b", section), f"## {name}: subcommand {sub_name} missing"
            for option in option_names(sub):
                assert f"`{option}" in section, f"## {name} {sub_name}: option {option} is not documented"


def test_no_section_for_a_command_that_does_not_exist() -> None:
    command_like = {h for h in sections() if re.fullmatch(r"[a-z][a-z0-9-]*", h)}
    assert command_like <= set(COMMANDS), f"sections for missing commands: {sorted(command_like - set(COMMANDS))}"
