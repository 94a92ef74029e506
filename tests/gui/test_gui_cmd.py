"""``annotator gui`` passes the documented command lines to the app (without starting Qt's loop)."""

from __future__ import annotations

import types

import pytest
from click.testing import CliRunner

from annotator.cli import cli


@pytest.fixture
def launched(monkeypatch):
    """Replace ``ui.app`` with a stand-in that records the arguments ``main`` gets."""
    calls: list[list[str]] = []
    fake = types.SimpleNamespace(main=lambda args: calls.append(args) or 0)
    import annotator.cli.gui_cmd as gui_cmd
    real = gui_cmd.importlib.import_module
    monkeypatch.setattr(gui_cmd.importlib, "import_module", lambda name: fake if name == "ui.app" else real(name))
    return calls


@pytest.mark.parametrize("argv", [
    ["gui", "coverage.db", "--open", "1884037c", "4365d25e"],
    ["gui", "coverage.db", "--open", "1884037c", "--open", "4365d25e"],
    ["gui", "--open", "1884037c", "coverage.db", "4365d25e"],
])
def test_open_takes_several_ids_either_way(launched, argv):
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert launched == [["coverage.db", "--open", "1884037c", "4365d25e"]]


def test_reviewer_is_passed_on(launched):
    result = CliRunner().invoke(cli, ["gui", "coverage.db", "--reviewer", "ana", "--open", "abc"])
    assert result.exit_code == 0, result.output
    assert launched == [["coverage.db", "--open", "abc", "--reviewer", "ana"]]


def test_ids_without_open_are_a_usage_error(launched):
    result = CliRunner().invoke(cli, ["gui", "coverage.db", "1884037c"])
    assert result.exit_code == 2
    assert "after --open" in result.output
    assert launched == []


def test_the_app_parses_what_the_command_passes():
    from ui.app import parse
    args = parse(["coverage.db", "--open", "1884037c", "4365d25e", "--reviewer", "ana"])
    assert args.open == ["1884037c", "4365d25e"] and args.reviewer == "ana"
