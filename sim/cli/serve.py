"""``greatgame serve [FILE]``: open the classroom dashboard in the browser.

The dashboard is a Solara page over the Mesa model, served by Solara in this
process (so stopping it stops the server), on this computer only by default,
offline, with no call home (no version check, no telemetry).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from sim.cli.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, fail
from sim.cli.options import command_parser, scenario_file

#: How to install the dashboard's extra from a clone of the repository.
INSTALL_HINT = "pip install -e '.[viz]' (in the repository's folder)"

SUMMARY = "open the classroom dashboard (map, alliances, sliders) in the browser"


def serve_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame serve``."""
    p = command_parser(
        "serve",
        "Open the classroom dashboard in the browser: the province "
        "map with a 'Why?' panel, the alliance timeline, a compare view, "
        "sliders, a scenario picker and an export of the run shown; each "
        "browser tab is its own session. Works offline. Needs the viz extra "
        "(from a clone: pip install -e '.[viz]'). Equivalent to "
        "'GREATGAME_SCENARIO=FILE solara run sim/dashboard/app.py --host "
        "127.0.0.1 --production --no-check-version'. --host 0.0.0.0 lets "
        "other computers in: see docs/dashboard.md for the risk.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default="2016",
        help="scenario YAML file or shipped scenario name (default 2016, the "
        "shipped 2016 scenario); the picker lists the other files of its directory",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only)",
    )
    p.add_argument(
        "--port", type=int, default=8765, help="port (default 8765; 0: any free)"
    )
    p.add_argument(
        "--no-open", action="store_true", help="do not open a browser window"
    )
    return p


def serve_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The ``solara run`` command line and environment that serve the dashboard.

    ``--production``: no hot reload; ``--no-check-version``: no call to the
    package registry at start; telemetry off: no call home.
    """
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-check-version",
        "--log-level-uvicorn",
        "warning",
        "--no-access-log",
        "--no-open" if args.no_open else "--open",
    ]
    env = {
        **os.environ,
        "GREATGAME_SCENARIO": scenario_file(args.scenario),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "MPLBACKEND": "Agg",
        "SOLARA_THEME_SHOW_BANNER": "False",
        "SOLARA_THEME_TITLE": "The Great Game",
    }
    return cmd, env


def _stop_on_sigterm() -> None:
    """SIGTERM stops the server as Ctrl-C does (one process, no child left)."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def cmd_serve(argv: list[str]) -> int:
    """Serve the dashboard in this process until interrupted (exit 2 on bad input).

    Solara runs here, not in a child process, so stopping this process
    (Ctrl-C, ``kill``) stops the server and frees the port.
    """
    import importlib.util

    args = serve_parser().parse_args(argv)
    from sim.scenario.loader import ScenarioError, load_scenario

    try:
        load_scenario(scenario_file(args.scenario))
    except ScenarioError as err:
        return fail(str(err), EXIT_BAD_INPUT)
    missing = [
        m for m in ("solara", "solara_assets") if importlib.util.find_spec(m) is None
    ]
    if missing:
        return fail(
            f"the dashboard needs {' and '.join(missing)}: install the viz extra "
            f"with {INSTALL_HINT}",
            EXIT_BAD_INPUT,
        )
    cmd, env = serve_command(args)
    os.environ.update(env)
    quiet_logs()
    print(
        f"Serving the dashboard of {args.scenario} on http://{args.host}:{args.port}/ "
        "(Ctrl-C stops it).",
        file=sys.stderr,
    )
    _stop_on_sigterm()
    from click.exceptions import Abort
    from solara.__main__ import cli

    try:
        cli(cmd[3:], standalone_mode=False)
    except (KeyboardInterrupt, Abort):  # Ctrl-C or kill; click calls it Abort
        print("The dashboard has stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def quiet_logs() -> None:
    """Keep the server's log to what a teacher needs: no repeated warnings."""
    import warnings

    warnings.filterwarnings("ignore", module="matplotlib")
    # plain http on a school network: Solara falls back to SameSite=Lax
    # cookies (fine for one page) and would say so on every page load
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")
