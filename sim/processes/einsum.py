"""numpy's einsum kernel, called without the Python layers in front of it.

``np.einsum`` without ``optimize`` hands its arguments straight to numpy's C
kernel ``c_einsum``, after a dispatch in Python (the ``__array_function__``
protocol, which walks every operand, and a wrapper) that costs a good share
of a sum over the step's few actors and shows in the calls of every step.
:func:`einsum` is that kernel itself: the same arithmetic in the same order,
so the same bits. Where numpy does not expose the kernel under this name
(another version's layout), it is ``np.einsum`` itself.
"""

from __future__ import annotations

try:
    from numpy._core.multiarray import c_einsum as einsum
except ImportError:  # pragma: no cover - numpy 1.x keeps it elsewhere
    from numpy import einsum

__all__ = ["einsum"]
