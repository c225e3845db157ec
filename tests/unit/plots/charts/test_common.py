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
