"""``python -m sim``: the same command line as ``run.py``."""

from __future__ import annotations

import sys

from sim.cli import main

sys.exit(main())
