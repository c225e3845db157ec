"""The command line: ``greatgame``, ``python -m sim`` and ``run.py``.

One module a subcommand (:mod:`~sim.cli.run`, :mod:`~sim.cli.validate`,
:mod:`~sim.cli.plot`, :mod:`~sim.cli.sweep`, :mod:`~sim.cli.check`,
:mod:`~sim.cli.serve`), each with its parser; :mod:`~sim.cli.commands`
picks one; :mod:`~sim.cli.errors` holds the exit codes,
:mod:`~sim.cli.parsing` the parser every command uses (its errors are one
line naming the closest valid option) and :mod:`~sim.cli.summaries` the
tables printed in the terminal.
"""

from __future__ import annotations

from sim.cli.commands import entry_point, main

__all__ = ["entry_point", "main"]
