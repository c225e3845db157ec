"""Remember a function's last answer while it is asked about the same arrays.

A run asks many step functions about arrays that stay the same object all
run long (the scenario's per-actor arrays in :class:`sim.core.setup.Setup`,
the province table, the population): whatever is computed from them alone
can be computed once. :func:`last_answer` keeps the last call's arguments
and answer; a call with the same objects (arrays by identity, other values
by equality) gets the same answer back, any other call computes afresh. A
new run, or a ``set`` event that rebuilds the setup, brings new arrays and
so a new answer. The arrays asked about must not be changed in place, and
answers that are arrays are made read-only so that no caller changes them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np


def _same(a: Any, b: Any) -> bool:
    """The same array object, or equal values of anything else."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return a is b or a == b


def last_answer(fn: Callable) -> Callable:
    """Wrap ``fn`` (positional arguments only) to remember its last answer.

    The wrapped function is called again only when an argument differs
    from the last call's (:mod:`sim.processes.memo`); array answers, and
    arrays in a tuple answer, are made read-only.
    """
    last: list = [None]  # (args, answer), replaced in one assignment

    @functools.wraps(fn)
    def remembered(*args: Any) -> Any:
        seen = last[0]
        if seen is not None:
            # inline, no call while the arguments are the very same objects
            try:
                for a, b in zip(seen[0], args, strict=True):
                    if a is not b and not _same(a, b):
                        break
                else:
                    return seen[1]
            except ValueError:  # another number of arguments
                pass
        answer = fn(*args)
        for part in answer if isinstance(answer, tuple) else (answer,):
            if isinstance(part, np.ndarray):
                part.flags.writeable = False
        last[0] = (args, answer)
        return answer

    return remembered
