"""The relations chart: which pairs, and each change explained."""

from __future__ import annotations

from sim.plots.charts import relations
from sim.vocabulary import Status
from tests.unit.plots.charts.helpers import frozen, not_blank, texts


def test_relations_without_status_changes_shows_the_most_moved(run, tmp_path):
    fig = relations(frozen(run))
    assert "No pair changed status" in texts(fig)
    assert not_blank(fig, tmp_path / "relations.png")


def test_relations_when_nothing_moved_says_so(run, tmp_path):
    fig = relations(frozen(run, affinity=True))
    assert "No relation moved" in texts(fig)
    assert not_blank(fig, tmp_path / "relations.png")


def test_relations_labels_each_change_with_its_leading_reason(run):
    r = frozen(run)
    h = r.history
    h.status[5:, 0, 1] = h.status[5:, 1, 0] = Status.ALLY
    h.events.append(
        {
            "type": "alliance",
            "step": 5,
            "date": h.dates[5].isoformat(),
            "a": h.actor_keys[0],
            "b": h.actor_keys[1],
            "why": [["shared enemy Zed", 0.3], ["aid between them", 0.1]],
        }
    )
    text = texts(relations(r))
    assert "allies:\nshared enemy Zed" in text
    assert "aid between them" not in text  # the leading reason only
    assert f"{r.display(h.actor_keys[0])} – {r.display(h.actor_keys[1])}" in text


def test_relations_with_many_changes_numbers_them_in_a_key(run):
    r = frozen(run)
    h = r.history
    for t in range(1, 12, 2):  # the pair flips six times
        h.status[t:, 0, 1] = h.status[t:, 1, 0] = Status.ALLY if t % 4 == 1 else 0
    text = texts(relations(r))
    assert "1.  " in text and "become allies" in text
    assert "turn neutral" in text
