"""The classroom dashboard: Mesa's SolaraViz over a running :class:`GreatGame`.

Launch it with ``python run.py serve [SCENARIO]`` or, equivalently,
``solara run sim/dashboard/app.py`` (the scenario then comes from the
``GREATGAME_SCENARIO`` environment variable, default ``scenarios/2016.yaml``).
Needs the optional extra: ``pip install 'greatgame[viz]'``.

:mod:`sim.dashboard.controls` (sliders from the scenario schema, the plain-words
"Why?" lines, the model the dashboard re-creates on Reset) imports no Solara;
only :mod:`sim.dashboard.app` does, so nothing here costs a plain run anything.
"""
