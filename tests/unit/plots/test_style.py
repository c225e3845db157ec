"""The shared look: figures without pyplot, dates as the figures print them."""

from __future__ import annotations

import datetime as dt

import matplotlib
import numpy as np

from sim.plots.style import (
    DPI,
    RC,
    collector_paused,
    fmt_date,
    freeze_layout,
    new_figure,
    panel_title,
    styled,
)


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


def test_saving_lays_a_figure_out_and_draws_it_once(tmp_path, monkeypatch):
    """Constrained layout measures every label; saving drew the figure twice."""
    import matplotlib.layout_engine as engines
    from matplotlib.figure import Figure

    from sim.plots.style import save

    layouts, draws = [], []
    real_layout, real_draw = engines.do_constrained_layout, Figure.draw

    def counted_layout(*args, **kwargs):
        layouts.append(1)
        return real_layout(*args, **kwargs)

    def counted_draw(self, renderer):
        draws.append(1)
        return real_draw(self, renderer)

    monkeypatch.setattr(engines, "do_constrained_layout", counted_layout)
    monkeypatch.setattr(Figure, "draw", counted_draw)
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title")
    save(fig, tmp_path / "f.png")
    assert len(layouts) == 1
    assert len(draws) == 1
    assert (tmp_path / "f.png").stat().st_size > 0


def _ticks_and_labels(ax):
    """The tick positions and labels ``ax`` would draw now."""
    locs = list(ax.xaxis.get_major_locator()())
    labels = ax.xaxis.get_major_formatter().format_ticks(locs)
    return locs, labels


def test_date_axis_ticks_match_matplotlibs_month_ticks_for_every_span():
    import matplotlib.dates as mdates

    from sim.plots.style import date_axis

    fig = new_figure()
    ours, plain = fig.subplots(1, 2)
    spans = [
        [dt.date(2015, 1, 1), dt.date(2017, 12, 31)],
        [dt.date(2016, 2, 10), dt.date(2016, 11, 3)],
        [dt.date(2015, 1, 1), dt.date(2017, 12, 31)],  # a span seen before
    ]
    for dates in spans:
        date_axis(ours, dates)
        plain.set_xlim(dates[0], dates[-1])
        plain.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        plain.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        assert _ticks_and_labels(ours) == _ticks_and_labels(plain)
    ours.set_xlim(dt.date(2016, 3, 1), dt.date(2017, 2, 1))  # zoomed afterwards
    plain.set_xlim(dt.date(2016, 3, 1), dt.date(2017, 2, 1))
    assert _ticks_and_labels(ours) == _ticks_and_labels(plain)
    assert _ticks_and_labels(ours)[1][0] == "Apr\n2016"


def _titled(title) -> tuple[np.ndarray, int]:
    """Pixels of a small titled chart, and how often its y axis was measured."""
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 40, 20])
    title(ax, "Provinces held", loc="left", fontsize=13, fontweight="bold")
    freeze_layout(fig)
    measured = []
    measure = ax.yaxis.get_tightbbox
    ax.yaxis.get_tightbbox = lambda *a, **k: measured.append(1) or measure(*a, **k)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy(), len(measured)


def test_a_panel_title_sits_where_matplotlib_puts_it_without_measuring_the_y_axis():
    theirs, measured_by_them = _titled(lambda ax, *a, **k: ax.set_title(*a, **k))
    ours, measured_by_us = _titled(panel_title)
    assert np.array_equal(theirs, ours)
    assert measured_by_them > 0
    assert measured_by_us == 0


def test_a_panel_title_keeps_the_y_tick_labels_plain():
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 3e7])
    panel_title(ax, "big numbers")
    freeze_layout(fig)
    fig.canvas.draw()
    assert ax.yaxis.get_offset_text().get_text() == ""


def test_the_collector_is_held_back_only_inside_and_left_as_found():
    import gc

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
