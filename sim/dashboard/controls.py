"""What the dashboard shows and changes, without importing Solara.

* :func:`slider_specs` derives each slider from the scenario schema
  (:mod:`sim.scenario.schema`): its bounds from the field's constraints, its label from
  the field's description, its start from the scenario's value.
* :class:`DashboardGame` is the model the dashboard re-creates on Reset, from
  a scenario file plus the sliders' values.
* :func:`why_lines` puts the latest alliance changes and their explanation
  terms (``why``/``despite`` of the events log) in plain words.
* :func:`balance_line` says how far this week's alliances are from two
  clean camps (:mod:`sim.processes.balance`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types

from sim.core.model import GreatGame
from sim.processes import balance
from sim.scenario import schema
from sim.scenario.loader import load_scenario

#: The scenario values a class changes, as scenario paths (``--set`` spelling).
SLIDER_PATHS = (
    "actors.russia.resources",
    "actors.iran.resources",
    "actors.us_nato.troops",
    "actors.us_nato.air_support",
    "actors.isis_k.resources",
    "parameters.interdiction",
    "parameters.eta",
)

#: Upper bound of a slider whose field has none: this many times its value.
HEADROOM = 4.0
#: Steps along a slider.
STEPS = 40

#: Name of the scenario picker's value (kept for notebooks that build the model).
SCENARIO_KEY = "scenario_file"
DEFAULT_SCENARIO = "scenarios/2016.yaml"


@dataclass(frozen=True)
class SliderSpec:
    """One slider: a scenario path, its label and bounds."""

    path: str
    label: str
    value: float
    min: float
    max: float
    step: float

    def as_user_param(self) -> dict[str, Any]:
        """The dict form that Mesa's ``UserInputs`` renders as a float slider."""
        return {
            "type": "SliderFloat",
            "label": self.label,
            "value": self.value,
            "min": self.min,
            "max": self.max,
            "step": self.step,
        }


def _field(path: str):
    """The pydantic field of a scenario path (``actors.<id>.x`` or ``parameters.x``)."""
    parts = path.split(".")
    if parts[0] == "actors" and len(parts) == 3:
        return schema.Actor.model_fields[parts[2]]
    if parts[0] == "parameters" and len(parts) == 2:
        return schema.Parameters.model_fields[parts[1]]
    raise ValueError(f"no slider for scenario path {path!r}")


def _bounds(field) -> tuple[float | None, float | None]:
    """``(ge, le)`` of a field, looking inside ``Optional[Annotated[...]]``."""
    metadata = list(field.metadata)
    for arg in getattr(field.annotation, "__args__", ()):
        metadata += getattr(arg, "__metadata__", ())
    for item in list(metadata):
        metadata += getattr(item, "metadata", [])  # a FieldInfo inside Annotated
    lo = hi = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            lo = float(m.ge)
        elif isinstance(m, annotated_types.Gt):
            lo = float(m.gt)
        elif isinstance(m, annotated_types.Le):
            hi = float(m.le)
        elif isinstance(m, annotated_types.Lt):
            hi = float(m.lt)
    return lo, hi


def _nice(x: float) -> float:
    """Round ``x`` up to 1, 2 or 5 times a power of ten."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    for k in (1, 2, 5, 10):
        if x <= k * power * (1 + 1e-9):
            return float(k * power)
    return float(10 * power)  # pragma: no cover


def _smaller(step: float) -> float:
    """The next round number below ``step`` (5 → 2 → 1 → 0.5 ...)."""
    power = 10 ** math.floor(math.log10(step) + 1e-9)
    lead = round(step / power)
    return float({5: 2, 2: 1}.get(lead, 0.5) * power)


def _step(span: float, offset: float) -> float:
    """A round step of about ``span / STEPS`` on whose grid ``offset`` lies."""
    step = _nice(span / STEPS)
    for _ in range(12):
        ratio = offset / step
        if math.isclose(ratio, round(ratio), abs_tol=1e-6):
            return step
        step = _smaller(step)
    return step


def _value(scenario: schema.Scenario, path: str) -> float:
    obj: Any = scenario
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return float(obj or 0.0)


def _label(scenario: schema.Scenario, path: str, description: str) -> str:
    parts = path.split(".")
    text = description.rstrip(".")
    if len(text) > 50 and ", " in text:  # the first clause; the rest is in the docs
        text = text.split(", ")[0]
    if text[:1].isascii():
        text = text[:1].lower() + text[1:]
    if parts[0] == "actors":
        return f"{scenario.actors[parts[1]].name}: {text}"
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def slider_specs(
    scenario: schema.Scenario, paths: tuple[str, ...] = SLIDER_PATHS
) -> list[SliderSpec]:
    """Sliders for ``paths``, derived from the schema and ``scenario``'s values.

    The lower bound is the field's own (``ge``/``gt``); the upper bound is the
    field's ``le`` if it has one (other than the schema's sanity cap), else
    :data:`HEADROOM` times the scenario's value rounded up to a round number.
    Paths of actors the scenario lacks are skipped.
    """
    specs = []
    for path in paths:
        parts = path.split(".")
        if parts[0] == "actors" and parts[1] not in scenario.actors:
            continue
        field = _field(path)
        lo, hi = _bounds(field)
        value = _value(scenario, path)
        lo = 0.0 if lo is None else lo
        if hi is None or hi >= schema.LARGEST:  # a sanity cap, not a range
            hi = _nice(HEADROOM * value if value > lo else lo + 1.0)
        step = _step(hi - lo, value - lo)
        specs.append(
            SliderSpec(
                path=path,
                label=_label(scenario, path, field.description or parts[-1]),
                value=value,
                min=lo,
                max=hi,
                step=step,
            )
        )
    return specs


def scenario_files(directory: str | os.PathLike[str]) -> list[str]:
    """The scenario files of ``directory`` (``*.yaml``), sorted, as given paths."""
    return sorted(str(p) for p in Path(directory).glob("*.yaml"))


class DashboardGame(GreatGame):
    """A :class:`GreatGame` built from a scenario file and slider values.

    The dashboard's session (:mod:`sim.dashboard.session`) re-creates the
    model on Reset by calling this class with the picked scenario and the
    sliders' (checked) values as keyword arguments.

    A slider overrides the picked scenario only where it was moved away from
    its start (``defaults``): picking ``no_russian_aid.yaml`` keeps that file's
    zero Russian aid unless the teacher moved Russia's slider.

    Args:
        scenario_file: the scenario YAML file.
        seed: the run's seed (default: the scenario's).
        rng: Mesa's name for the seed, as the seed box gives it (a whole
            number, or its text; blank for the scenario's).
        defaults: ``{path: value}`` of the sliders' start positions.
        **values: ``{path: value}`` of the sliders (scenario paths as keys).
            Mesa may also pass its own ``scenario`` object; only its ``rng``
            is read.
    """

    def __init__(
        self,
        scenario_file: str = DEFAULT_SCENARIO,
        seed: int | None = None,
        rng: int | str | None = None,
        defaults: dict[str, float] | None = None,
        **values: Any,
    ):
        """Load ``scenario_file`` with the moved sliders as overrides."""
        mesa_scenario = values.pop("scenario", None)  # Mesa's own scenario object
        if rng is None and seed is None:
            rng = getattr(mesa_scenario, "rng", None)
        defaults = defaults or {}
        overrides = {
            path: float(v)
            for path, v in values.items()
            if path not in defaults or not math.isclose(float(v), defaults[path])
        }
        base = load_scenario(scenario_file)
        for path in list(overrides):  # an actor this scenario removed
            parts = path.split(".")
            if parts[0] == "actors" and parts[1] not in base.actors:
                del overrides[path]
        self.scenario_file = str(scenario_file)
        self.overrides = overrides
        scenario = load_scenario(scenario_file, overrides) if overrides else base
        super().__init__(scenario, seed=seed, rng=seed_from_text(rng))
        self.running = True

    def step(self) -> None:
        """One step; stops (``running`` False) at the scenario's last step."""
        if self.step_index >= self.config.steps:
            self.running = False
            return
        super().step()
        self.running = self.step_index < self.config.steps


def seed_from_text(value: Any) -> int | None:
    """A seed typed in the dashboard's box: ``" 42 "`` is 42, blank is None.

    Anything but a whole number is left as it is, for the model to refuse
    in its own words.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"the seed must be a whole number, got {text!r}") from None


def _terms(terms) -> str:
    return ", ".join(f"{label} ({value:+.2f})" for label, value in terms)


def why_lines(model: GreatGame, limit: int = 6) -> list[str]:
    """The latest ``limit`` changes of alliance status, newest first, in words.

    Each line reads e.g. "2016-03-04 — Russia and Taliban: neutral → ally,
    because of shared enemy ISIS-K (+0.61); despite chance (-0.02)".
    """
    h = model.history
    names = dict(zip(h.actor_keys, h.actor_names, strict=True))
    lines = []
    changes = [e for e in h.events if e["type"] in ("alliance", "relation")]
    for e in reversed(changes[-limit:]):
        line = (
            f"{e['date']} — {names.get(e['a'], e['a'])} and "
            f"{names.get(e['b'], e['b'])}: {e['old']} → {e['new']}"
        )
        if e.get("why"):
            line += f", because of {_terms(e['why'])}"
        if e.get("despite"):
            line += f"; despite {_terms(e['despite'])}"
        lines.append(line)
    return lines


def balance_line(model: GreatGame) -> str:
    """This week's structural balance in words, for the Why? panel.

    E.g. "Two camps? 4 of 9 triads balanced; three ties would have to flip
    for two clean camps: ...".
    """
    names = [a.name for a in model.actor_agents]
    return "Two camps? " + balance.describe(balance.measure(model.status), names)
