"""The posterior's marginals against the priors, one small panel per assumption."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from sim.experiments.calibration.matching import Match


def plot_posterior(match: Match, title: str | None = None) -> Figure:
    """One histogram per prior: the accepted values over the prior range.

    The prior is uniform (or log-uniform) over the whole x-axis, drawn as a
    flat grey band; the posterior's histogram is in blue, with its median
    and 90% interval marked. A log-scale prior gets a log axis, so its
    prior is flat too.

    Args:
        match: a history match.
        title: the figure's title.

    Returns:
        A matplotlib Figure.
    """
    from sim.plots.style import new_figure, styled

    return styled(_draw)(match, title, new_figure)


def _panel(ax, prior, values: np.ndarray) -> None:
    """One assumption's panel."""
    log = prior.scale == "log"
    if log:
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        bins = np.geomspace(prior.low, prior.high, 13)
    else:
        bins = np.linspace(prior.low, prior.high, 13)
    ax.axhspan(0, 1 / 12, color="#DDDDDD", label="prior")
    if values.size:
        weights = np.full(values.size, 1 / values.size)
        ax.hist(values, bins=bins, weights=weights, color="#4477AA", label="posterior")
        lo, mid, hi = np.quantile(values, [0.05, 0.5, 0.95])
        ax.axvline(mid, color="#CC3311", lw=1.2)
        ax.axvspan(lo, hi, color="#CC3311", alpha=0.08)
    ax.set_xlim(prior.low, prior.high)
    ax.set_title(prior.path.split(".", 1)[-1], fontsize=9, loc="left")
    ax.tick_params(which="both", labelsize=7)
    ax.set_yticks([])


def _draw(match: Match, title: str | None, new_figure) -> Figure:
    """Draw the grid of panels."""
    priors = match.priors
    cols = 4
    rows = max(1, math.ceil(len(priors) / cols))
    fig = new_figure(13.0, 1.9 * rows + 0.9)
    post = match.posterior
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, prior in zip(axes, priors, strict=False):
        _panel(ax, prior, post[prior.path].to_numpy(dtype=float))
    for ax in axes[len(priors) :]:
        ax.set_axis_off()
    axes[0].legend(loc="upper right", fontsize=7, frameon=False)
    default = (
        f"Posterior of the assumptions ({len(post)} accepted of "
        f"{len(match.evaluated)} points, {match.runs:,} runs): grey = prior, "
        "blue = accepted, red = median and 90% interval"
    )
    fig.suptitle(title or default, x=0.01, ha="left", fontsize=10)
    return fig
