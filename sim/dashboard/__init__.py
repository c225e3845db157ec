"""The classroom dashboard: a Solara page over running :class:`GreatGame` models.

Launch it with ``python run.py serve [SCENARIO]`` (the scenario comes to the
page through the ``GREATGAME_SCENARIO`` environment variable, default
``scenarios/2016.yaml``). Needs the optional extra: from a clone,
``pip install -e '.[viz]'``.

Modules without Solara (a plain run never imports this package):
:mod:`.controls` (sliders from the scenario schema, the model built from a
scenario and slider values), :mod:`.guard` (every value the page sends
checked on the server; bounded work; no traceback to the page),
:mod:`.session` (one browser session's model, counterfactual and settings),
:mod:`.view` and :mod:`.charts` (what a week shows, as data and light SVG),
:mod:`.svgmap` (the province map's SVG outlines, built once) and
:mod:`.export` (the run shown as a zipped run directory). With Solara:
:mod:`.layout` (the panels), :mod:`.settings_panel` (the Setup tab) and
:mod:`.app` (the page).
"""
