"""The charts' shared wording: amounts, cut text, key heights, step names."""

from __future__ import annotations

import pytest

from sim.plots.charts.common import amount, key_height, per_step, short


@pytest.mark.parametrize(
    ("x", "text"), [(6240.4, "6,240"), (100.0, "100"), (1.54, "1.5"), (0.0612, "0.061")]
)
def test_amounts_read_at_a_glance(x, text):
    assert amount(x) == text


def test_long_text_is_cut_at_a_word():
    assert short("short enough", 20) == "short enough"
    cut = short("the Taliban and the government, again and again", 20)
    assert cut == "the Taliban and…"
    assert len(cut) <= 20


def test_the_key_takes_two_columns_when_long():
    assert key_height(0) == pytest.approx(0.01)
    assert key_height(9) == pytest.approx(0.27 * 9 + 0.1)
    assert key_height(12) == pytest.approx(0.27 * 6 + 0.1)


def test_a_row_is_a_week(run):
    assert per_step(run) == "week"


def _two_panels(lighter: bool):
    """Two date panels sharing x, the upper one without labels, laid out."""
    import datetime as dt

    from sim.plots.charts.common import lighter_layout
    from sim.plots.style import date_axis, freeze_layout, new_figure

    dates = [dt.date(2016, 1, 1) + dt.timedelta(weeks=k) for k in range(60)]
    fig = new_figure(8, 6)
    axes = fig.subplots(2, 1, sharex=True)
    for ax in axes:
        ax.plot(dates, range(60))
        ax.set_ylabel("units")
        date_axis(ax, dates)
    axes[0].tick_params(labelbottom=False)
    axes[0].set_xlabel("")
    if lighter:
        for ax in axes:
            lighter_layout(ax)
    freeze_layout(fig)
    return axes


def test_lighter_layout_leaves_out_only_what_labels_cover():
    top, bottom = _two_panels(lighter=True)
    assert not top.spines["left"].get_in_layout()
    assert top.spines["bottom"].get_in_layout()  # its tick marks stick out
    assert not bottom.spines["bottom"].get_in_layout()
    plain = _two_panels(lighter=False)
    for ax, same in zip((top, bottom), plain, strict=True):
        assert ax.get_position().bounds == same.get_position().bounds
