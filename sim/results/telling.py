"""One sentence per logged event, in words a regional specialist accepts.

:func:`event_line` tells an event of the run's log: an alliance or a change
of relation with its reasons, a province taken or contested with the
fighting behind it, a scripted event of the scenario, an incident. The
words follow what the model computes: control is province-level (no city
or capital is modelled, so none "falls"); a foreign state's troops that
outnumber everyone in a province are said to be the main armed force there,
on its ally's side, not to govern it; a leader the model kills at random is
"a senior leader", never a named person; a scripted change is told in plain
words ("US/NATO troops: 8,400, was 9,800"), not as a configuration path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.results.naming import ActorNames
from sim.scenario.paths import split_path
from sim.scenario.schema import Parameters
from sim.vocabulary import CONTESTED

__all__ = ["Voice", "event_line", "setting_words", "value_words"]

#: Plain words for the actor fields a ``set`` event may change.
ACTOR_FIELD_WORDS = {
    "troops": "troops",
    "resources": "aid budget per step",
    "self_funding": "share of its budget spent on its own forces",
    "hedging": "share of its aid spread over non-enemies",
    "air_support": "air support",
    "mobility": "share of its forces that may move each step",
    "effectiveness": "fighting effectiveness",
    "recruitment_rate": "recruitment rate",
    "cohesion": "cohesion",
    "deploys": "forces of its own in the country",
    "equipment": "equipment level",
}


#: A status word for two actors ("were allies").
PLURAL = {"ally": "allies", "enemy": "enemies"}


class Voice:
    """Names actors inside sentences: articles, capitals, names on a date."""

    def __init__(self, names: Mapping[str, str], actors: ActorNames | None = None):
        self.names, self.actors = names, actors

    def __call__(self, key: str) -> str:
        """The actor mid-sentence ("the Afghan government", "Russia")."""
        name = self.names.get(key, key)
        if self.actors is not None and self.actors.needs_article(key):
            return f"the {name}"
        return name

    def subject(self, key: str) -> str:
        """The actor opening a sentence ("The Afghan government")."""
        text = self(key)
        return text[:1].upper() + text[1:]

    def possessive(self, key: str) -> str:
        """The actor's possessive: "the Afghan government's", "Russia's"."""
        return f"{self(key)}'s"

    def foreign(self, key: str) -> bool:
        """Whether the actor is a foreign state (troops that support a side)."""
        return self.actors is not None and self.actors.is_foreign(key)


def value_words(value: Any) -> str:
    """A scenario value as a reader writes it: 8,400; 0.25; yes."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and float(value).is_integer():
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def setting_words(path: str, names: Mapping[str, str]) -> str:
    """What a ``set`` path changes, in words: "US/NATO troops", "interdiction"."""
    try:
        segs = split_path(path)
    except ValueError:
        return path
    if len(segs) == 3 and segs[0] == "actors":
        actor = names.get(str(segs[1]), str(segs[1]))
        field = str(segs[2])
        return f"{actor} {ACTOR_FIELD_WORDS.get(field, field.replace('_', ' '))}"
    if len(segs) == 2 and segs[0] == "parameters":
        info = Parameters.model_fields.get(str(segs[1]))
        if info is not None and info.description:
            return info.description.split(";")[0].rstrip(".")
    return " ".join(str(s).replace("_", " ") for s in segs)


def event_line(
    e: dict, names: Mapping[str, str], actors: ActorNames | None = None, was=None
) -> str | None:
    """The chronicle's sentence for one logged event (None: not told).

    Args:
        e: the logged event.
        names: actor key → the name to use (on the event's date).
        actors: the run's :class:`ActorNames` (articles, which are foreign).
        was: for a ``set`` event, the value before it (None: not known).
    """
    say = Voice(names, actors)
    for tell in (_relation_line, _control_line, _incident_line):
        line = tell(e, say)
        if line is not None:
            return line
    return _scenario_line(e, say, was)


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def _why(terms: list) -> str:
    parts = [f"{label} ({_signed(value)})" for label, value in terms]
    return "; ".join(parts) if parts else "no single cause stands out"


def _despite(e: dict) -> str:
    return f" Despite: {_why(e['despite'])}." if e.get("despite") else ""


def _belief(e: dict, say: Voice) -> str:
    """A "Belief:" sentence when a perceived presence above the armed one drove it."""
    b = e.get("belief")
    if not b:
        return ""
    return (
        f" Belief: perceived {say(b['actor'])} presence in "
        f"{say.possessive(b['observer'])} zone {b['perceived']:.2f} vs armed "
        f"{b['armed']:.2f}."
    )


def _relation_line(e: dict, say: Voice) -> str | None:
    """A change of status between two actors, with its reasons."""
    kind = e["type"]
    if kind == "alliance":
        return (
            f"**{say.subject(e['a'])} and {say(e['b'])} became allies** (affinities "
            f"{e['affinity'][0]:+.2f} / {e['affinity'][1]:+.2f}). "
            f"Why: {_why(e['why'])}.{_despite(e)}{_belief(e, say)}"
        )
    if kind == "relation":
        verb = {"enemy": "became enemies", "neutral": "moved to neutral"}[e["new"]]
        return (
            f"{say.subject(e['a'])} and {say(e['b'])} {verb} "
            f"(were {PLURAL.get(e['old'], e['old'])}). "
            f"Why: {_why(e['why'])}.{_despite(e)}{_belief(e, say)}"
        )
    return None


def _control_line(e: dict, say: Voice) -> str | None:
    """A province taken, or fallen out of anyone's control, and the fighting."""
    kind = e["type"]
    province = f"{e.get('province')} province"
    if kind == "capture":
        before = ", which had been contested"
        if e["previous"] != CONTESTED:
            before = f" from {say(e['previous'])}"
        if "holder" in e:
            before = f" from {say(e['holder'])}{_fighting(e, e['holder'], say)}"
        if say.foreign(e["actor"]):
            return (
                f"{say.subject(e['actor'])} troops became the main armed force in "
                f"{province}{before}; the model counts it as held by "
                f"{say(e['actor'])}, whose troops support their allies there."
            )
        return f"{say.subject(e['actor'])} took control of {province}{before}."
    if kind == "contested":
        return (
            f"{province} became contested, slipping from "
            f"{say.possessive(e['previous'])} hold"
            f"{_fighting(e, e['previous'], say)}."
        )
    return None


def _fighting(e: dict, loser: str, say: Voice) -> str:
    """The fighting behind a change of control, as the event recorded it."""
    if "weeks" not in e:  # an event log written before captures kept it
        return ""
    if e["cause"] == "withdrawal":
        return (
            f", after it pulled ~{e['left']:,} fighters out "
            f"({say(loser)} lost ~{e['losses']:,} there in the last weeks)"
        )
    if e["weeks"] == 0:
        return ", without a fight"
    return (
        f", after {e['weeks']} weeks of fighting "
        f"({say(loser)} lost ~{e['battle_losses']:,} fighters there)"
    )


def _scenario_line(e: dict, say: Voice, was) -> str | None:
    """A scripted event of the scenario's timeline, under its label."""
    kind = e["type"]
    if kind == "set":
        label = e.get("label") or "Scenario change"
        what = setting_words(e["path"], say.names)
        value = value_words(e["value"])
        if was is None:
            return f"{label} (in the model, {what} set to {value})."
        return f"{label} (in the model, {what} from {value_words(was)} to {value})."
    if kind == "splinter":
        label = e.get("label") or "A faction split"
        return (
            f"{label}: {e['fighters']:,.0f} fighters of {say(e['actor'])} "
            f"went over to {say(e['into'])}."
        )
    if kind == "shock":
        return _shock_line(e, say)
    if kind == "aid":
        label = e.get("label") or "A one-off transfer"
        amount = f"{e['amount']:g} aid units"
        return f"{label}: {say(e['actor'])} sent {amount} to {say(e['to'])}."
    return None


def _change(what: str, delta: float) -> str:
    return f"{what} {'rises' if delta > 0 else 'falls'} by {abs(delta):.2f}"


def _shock_line(e: dict, say: Voice) -> str:
    """A scripted shock: its label, and what it changes in the model."""
    label = e.get("label") or f"A shock to {say(e['actor'])}"
    what = []
    if e.get("cohesion") is not None:
        what.append(_change(f"the cohesion of {say(e['actor'])}", e["cohesion"]))
    if e.get("affinity") is not None:
        regard = f"the regard of {say(e['actor'])} for {say(e['toward'])}"
        what.append(_change(regard, e["affinity"]))
    return f"{label} (in the model: {' and '.join(what)})."


def _incident_line(e: dict, say: Voice) -> str | None:
    """An incident drawn from the state (:mod:`sim.core.incidents`)."""
    kind = e["type"]
    if kind == "offensive":
        return (
            f"{say.subject(e['actor'])} launched an offensive in {e['province']} "
            f"({e['fighters']:,} fighters, {e['local_share']:.0%} of the armed "
            f"strength there, cohesion {e['cohesion']:.2f})."
        )
    if kind == "leader_killed":
        return (
            f"**{say.subject(e['actor'])} lost a senior leader** to air strikes "
            f"(a chance event of the model, likelier the more of its fighters "
            f"are under hostile air cover: {e['air_exposure']:.0%} now); its "
            f"cohesion fell from {e['cohesion_before']:.2f} to "
            f"{e['cohesion_before'] - e['shock']:.2f}."
        )
    if kind == "commander_defects":
        return (
            f"A commander of {say(e['actor'])} in {e['province']} took "
            f"{e['fighters']:,} fighters over to {say(e['to'])} (cohesion "
            f"{e['cohesion']:.2f}, regard {e['affinity']:+.2f})."
        )
    return None
