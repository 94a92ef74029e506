"""Running the ``annotator`` command in tests, and what every user error must look like.

pytest puts ``tests/`` on ``sys.path``: ``from cli_helpers import ok, one_line_error, run``.
"""

from __future__ import annotations

from click.testing import CliRunner, Result

from annotator.cli import cli


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def ok(*args: object) -> Result:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def one_line_error(result: Result) -> str:
    """A user error: exit status 1, exactly one line on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert result.stdout == ""
    return lines[0]
