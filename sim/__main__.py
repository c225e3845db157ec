"""``python -m sim``: the same command line as ``run.py``."""

import sys

from sim.cli import main

sys.exit(main())
