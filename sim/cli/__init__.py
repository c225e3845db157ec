"""The command line: ``greatgame``, ``python -m sim`` and ``run.py``."""

from sim.cli.commands import main

__all__ = ["main"]
