"""The shared look: figures without pyplot, dates as the figures print them."""

from __future__ import annotations

import datetime as dt

import matplotlib

from sim.plots.style import DPI, RC, fmt_date, new_figure, styled


def test_dates_are_short_and_unpadded():
    assert fmt_date(dt.date(2016, 2, 5)) == "5 Feb 2016"
    assert fmt_date(dt.date(2017, 12, 31)) == "31 Dec 2017"


def test_a_new_figure_has_the_project_resolution():
    fig = new_figure(4.0, 3.0)
    assert fig.get_dpi() == DPI
    assert tuple(fig.get_size_inches()) == (4.0, 3.0)


def test_styled_draws_in_the_project_rc_and_keeps_the_function_name():
    @styled
    def title_size():
        """Doc."""
        return matplotlib.rcParams["axes.titlesize"]

    before = matplotlib.rcParams["axes.titlesize"]
    assert title_size() == RC["axes.titlesize"]
    assert matplotlib.rcParams["axes.titlesize"] == before  # nothing leaks out
    assert title_size.__name__ == "title_size"
    assert title_size.__doc__ == "Doc."
