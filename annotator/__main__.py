"""``python -m annotator``: the same command line as the ``annotator`` script."""

from annotator.cli import cli

cli(prog_name="annotator")
