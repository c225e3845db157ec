"""One browser session's state: its scenario, sliders, seed, model(s) and budget.

Each browser session (each tab of each student) gets its own
:class:`Session`, so its own model and seed; nothing is shared between
sessions but the read-only map outlines. Every request from the page goes
through a method here that checks it (:mod:`sim.dashboard.guard`) before it
touches a model. In the compare view a second model, the counterfactual,
shares the seed and is stepped with the first.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.dashboard.controls import DashboardGame, SliderSpec, slider_specs
from sim.dashboard.guard import Budget, Refused, check_seed, check_slider, pick_scenario
from sim.scenario.loader import load_scenario

#: Counterfactual of the compare view: the picked scenario as in its file.
AS_IN_FILE = "same scenario, sliders as in the file"
#: Step requests a session may have waiting at once, and refilled per second.
STEP_BURST, STEP_RATE = 4, 6.0
#: Run-to-date requests a session may have waiting at once, and per second.
RUN_BURST, RUN_RATE = 2, 0.5
BUSY = "Busy: that request was dropped; wait for the map to catch up."


def scenario_catalogue(start_file: str) -> dict[str, str]:
    """The pickable scenarios: ``{file name: path}`` of the start file's directory."""
    start = Path(start_file)
    files = {p.name: str(p) for p in sorted(start.parent.glob("*.yaml"))}
    files.setdefault(start.name, str(start))
    return dict(sorted(files.items()))


class Session:
    """The dashboard of one browser session.

    Args:
        start_file: the scenario file served (its directory's files are listed).
        clock: time source of the work budget (tests pass a fake one).
    """

    def __init__(self, start_file: str, clock: Callable[[], float] = time.monotonic):
        """Load ``start_file`` and build its model at week 0."""
        self.catalogue = scenario_catalogue(start_file)
        self.scenario = Path(start_file).name
        self.specs: list[SliderSpec] = self._specs(self.scenario)
        self.values = {s.path: s.value for s in self.specs}
        self.seed: int | None = None
        self.notes: list[str] = []
        self.step_budget = Budget(STEP_BURST, STEP_RATE, clock)
        self.run_budget = Budget(RUN_BURST, RUN_RATE, clock)
        self.counterfactual_choice: str | None = None
        self.counterfactual: DashboardGame | None = None
        self.model = self._build(self.scenario, self.values)

    # ------------------------------------------------------------- settings
    def _specs(self, name: str) -> list[SliderSpec]:
        return slider_specs(load_scenario(self.catalogue[name]))

    @property
    def defaults(self) -> dict[str, float]:
        """The sliders' start positions: the picked scenario's values."""
        return {s.path: s.value for s in self.specs}

    def spec(self, path: Any) -> SliderSpec:
        """The slider of ``path``; a path the scenario has no slider for is refused."""
        for s in self.specs:
            if s.path == path:
                return s
        raise Refused("There is no such slider for this scenario.")

    def choose_scenario(self, choice: Any) -> None:
        """Pick a listed scenario (applied on Reset); sliders that do not apply reset.

        A moved slider the new scenario also has keeps its position (within
        the new bounds); the others start from the new scenario's values.
        """
        pick_scenario(choice, self.catalogue)
        moved = {
            p: v
            for p, v in self.values.items()
            if not math.isclose(v, self.defaults[p])
        }
        self.scenario = choice
        self.specs = self._specs(choice)
        self.values = {}
        for s in self.specs:
            value = moved.get(s.path, s.value)
            self.values[s.path] = min(max(value, s.min), s.max)

    def set_slider(self, path: Any, value: Any) -> None:
        """Move one slider (applied on Reset); out-of-bounds values are clamped."""
        spec = self.spec(path)
        self.values[spec.path], note = check_slider(spec, value)
        if note:
            self.notes.append(note)

    def reset_sliders(self) -> None:
        """Every slider back to the picked scenario's value."""
        self.values = self.defaults

    def set_seed(self, text: Any) -> None:
        """The seed of the next Reset (blank: the scenario's own)."""
        self.seed = check_seed(text)

    # --------------------------------------------------------------- models
    def _build(self, name: str, values: dict[str, float]) -> DashboardGame:
        return DashboardGame(
            self.catalogue[name], seed=self.seed, defaults=self.defaults, **values
        )

    def reset(self) -> None:
        """Rebuild the model (and counterfactual) from the settings, at week 0."""
        self.model = self._build(self.scenario, self.values)
        if self.counterfactual_choice is not None:
            self.compare_with(self.counterfactual_choice)

    def compare_with(self, choice: Any) -> None:
        """Start the compare view: a counterfactual with the same seed and week.

        Args:
            choice: :data:`AS_IN_FILE` (the picked scenario without the moved
                sliders) or the name of another listed scenario.
        """
        if choice == AS_IN_FILE:
            path = self.catalogue[self.scenario]
        else:
            path = pick_scenario(choice, self.catalogue)
        twin = DashboardGame(path, seed=self.model.seed_value)
        twin.run(min(self.model.step_index, twin.config.steps))
        self.counterfactual_choice, self.counterfactual = choice, twin

    def stop_comparing(self) -> None:
        """Leave the compare view."""
        self.counterfactual_choice = self.counterfactual = None

    @property
    def comparing(self) -> bool:
        """Whether a counterfactual runs beside the model."""
        return self.counterfactual is not None

    # ---------------------------------------------------------------- steps
    @property
    def models(self) -> list[DashboardGame]:
        """The model and, in the compare view, its counterfactual."""
        return [m for m in (self.model, self.counterfactual) if m is not None]

    @property
    def last_week(self) -> int:
        """The last week the run(s) can reach."""
        return min(m.config.steps for m in self.models)

    def step(self) -> None:
        """One week for the model (and the counterfactual), within the budget."""
        if not self.step_budget.take():
            raise Refused(BUSY)
        self._advance(self.model.step_index + 1)

    def run_to(self, week: Any) -> None:
        """Run to ``week`` (at most the last), within the budget; never backwards."""
        if isinstance(week, bool) or not isinstance(week, int):
            raise Refused("The week must be a whole number.")
        if not self.run_budget.take():
            raise Refused(BUSY)
        self._advance(week)

    def run_to_date(self, text: Any) -> None:
        """Run to the first week on or after the date ``text`` (YYYY-MM-DD)."""
        try:
            day = dt.date.fromisoformat(str(text).strip()[:10])
        except ValueError:
            raise Refused("Give the date as YYYY-MM-DD, e.g. 2016-09-30.") from None
        config = self.model.config
        weeks = range(config.steps + 1)
        week = next((t for t in weeks if config.date_of(t) >= day), config.steps)
        self.run_to(week)

    def run_to_end(self) -> None:
        """Run to the scenario's last week."""
        self.run_to(self.last_week)

    def _advance(self, week: int) -> None:
        target = max(0, min(week, self.last_week))
        for m in self.models:
            if target > m.step_index:
                m.run(target - m.step_index)
            m.running = m.step_index < m.config.steps

    def take_notes(self) -> list[str]:
        """The notes of the last requests (clamped values), once."""
        notes, self.notes = self.notes, []
        return notes
