"""``greatgame compare A B``: two scenarios, the same seeds, one paired report.

Runs a baseline (A) and a counterfactual (B) with the same seed (common
random numbers: where the two scenarios agree they draw the same dice), and
writes compare.html, compare.md, the paired differences as CSV and two
figures into one folder that appears whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.cli import options
from sim.cli import shared_options as shared
from sim.cli.errors import EXIT_BAD_INPUT, EXIT_OK, UsageError, fail, guarded

SUMMARY = "run two scenarios with the same seeds and write a paired report"

#: At most this many seeds; a bigger study is a sweep.
MAX_SEEDS = 200


def compare_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame compare A B``."""
    p = options.command_parser(
        "compare",
        "Run a baseline (A) and a counterfactual (B) with the same "
        "seed(s) and write a paired report: compare.html, compare.md, the paired "
        "differences as CSV and two figures.",
    )
    p.add_argument(
        "scenario_a", metavar="A", help="the baseline: " + options.scenario_help()
    )
    p.add_argument(
        "scenario_b", metavar="B", help="the counterfactual: " + options.scenario_help()
    )
    shared.seed_option(p, "the (first) seed (default: A's)", default=None, metavar=None)
    shared.seeds_option(
        p,
        1,
        f"run N pairs, seeds S, S+1, ... S+N-1 (default 1, at most {MAX_SEEDS})",
    )
    shared.out_option(p, "runs/compare/<A>-vs-<B>/seed-<S>", metavar=None)
    shared.force_option(p, "overwrite an existing output dir")
    options.set_option(p, "override a value in both scenarios, e.g. --set steps=26")
    p.add_argument("--no-figures", action="store_true", help="no figures")
    options.quiet_debug_options(p)
    return p


def cmd_compare(argv: list[str]) -> int:
    """Run the two scenarios and write the paired report (exit 2 on bad input)."""
    args = compare_parser().parse_args(argv)
    return guarded(
        lambda: _compare(args),
        args.debug,
        bad_input=(UsageError,),
        interrupted="nothing was written",
    )


def _output_dir(args: argparse.Namespace, a, b, seed: int) -> Path:
    """Where the report goes; refuses a file, and a non-empty folder without --force."""
    leaf = (
        f"seed-{seed}" if args.seeds == 1 else f"seeds-{seed}-{seed + args.seeds - 1}"
    )
    pair = f"{options.slug(a.name)}-vs-{options.slug(b.name)}"
    default = options.default_out("compare", "") / pair / leaf
    out = shared.output_folder(args.out, default, advice="; choose another --out")
    if out.exists() and any(out.iterdir()) and not args.force:
        raise UsageError(
            f"output directory '{out}' already exists and is not empty; pass --force "
            "to overwrite it or --out to choose another directory"
        )
    if args.force:
        from sim.results.rundir import NotOurDirectory, check_replaceable

        try:
            check_replaceable(
                out
            )  # before any run: --force never removes others' files
        except NotOurDirectory as err:
            raise UsageError(str(err)) from None
    return out


def _load(args: argparse.Namespace):
    """Both scenarios with the ``--set`` overrides; checks they can be paired."""
    from sim.scenario.loader import load_scenario

    options.check_whole_numbers(args, ("seeds",))
    if args.seeds > MAX_SEEDS:
        raise UsageError(
            f"--seeds {args.seeds} is more than {MAX_SEEDS}; for a larger study "
            f"use '{options.PROG} sweep'"
        )
    a = load_scenario(options.scenario_file(args.scenario_a), list(args.set))
    b = load_scenario(options.scenario_file(args.scenario_b), list(args.set))
    if (a.start, a.steps, a.step_days) != (b.start, b.steps, b.step_days):
        raise UsageError(
            f"A ({args.scenario_a}) runs {a.steps} steps of {a.step_days} days "
            f"from {a.start}, B ({args.scenario_b}) {b.steps} of {b.step_days} "
            f"from {b.start}; a paired report needs the same weeks (set start, "
            "steps and step_days alike, e.g. with --set steps=...)"
        )
    return a, b


def _run_pair(a, b, seed: int):
    """The runs of A and B with ``seed``, as RunResults."""
    from sim.core.model import GreatGame
    from sim.results.rundata import from_model

    return (
        from_model(GreatGame(a, seed=seed).run()),
        from_model(GreatGame(b, seed=seed).run()),
    )


def _compare(args: argparse.Namespace) -> int:
    from sim.results.compare import NotComparable
    from sim.results.compare_report import Comparison
    from sim.scenario.loader import ScenarioError

    try:
        a, b = _load(args)
    except ScenarioError as err:
        return fail(str(err), EXIT_BAD_INPUT)
    first = a.seed if args.seed is None else args.seed
    out = _output_dir(args, a, b, first)
    runs_a, runs_b = [], []
    for k in range(args.seeds):
        if not args.quiet and sys.stderr.isatty():
            print(f"seed {first + k}: running A and B...", file=sys.stderr)
        ra, rb = _run_pair(a, b, first + k)
        runs_a.append(ra)
        runs_b.append(rb)
    comparison = Comparison(runs_a, runs_b, args.scenario_a, args.scenario_b)
    try:
        _write(out, comparison, args, (a, b))
    except NotComparable as err:
        return fail(f"cannot pair {args.scenario_a} with {args.scenario_b}: {err}", 2)
    if not args.quiet:
        print(_headline(comparison))
        print(f"\nWrote {out}/ (compare.html shows it all; tables are CSV).")
    return EXIT_OK


def _headline(c) -> str:
    """Two lines for the terminal: how many provinces end differently, per seed."""
    from sim.results.compare import province_pairs

    counts = []
    for _, a, b in c.pairs():
        pairs = province_pairs(a, b)
        counts.append(str(int(pairs[pairs.step == a.n_rows - 1].differs.sum())))
    n = len(c.runs_a[0].history.province_names)
    seeds = ", ".join(map(str, c.seeds))
    return (
        f"A: {c.runs_a[0].name}\nB: {c.runs_b[0].name}\n"
        f"Provinces of {n} with another holder at the end, seed {seeds}: "
        f"{', '.join(counts)}"
    )


def _write(out: Path, c, args: argparse.Namespace, scenarios) -> None:
    """Tables, report and figures into ``out``, atomically."""
    from sim.results.compare_report import compare_html, compare_markdown, paired_tables
    from sim.results.rundir import atomic_directory
    from sim.scenario.loader import resolved_dict

    tables = paired_tables(c)  # raises NotComparable before anything is written
    with atomic_directory(out, force=args.force) as tmp:
        for name, table in tables.items():
            table.to_csv(tmp / name, index=False, lineterminator="\n")
        figures = {} if args.no_figures else _figures(tmp, c)
        (tmp / "compare.md").write_text(compare_markdown(c), encoding="utf-8")
        (tmp / "compare.html").write_text(
            compare_html(c, figures), encoding="utf-8", newline="\n"
        )
        meta = {
            "A": {"file": args.scenario_a, "scenario": resolved_dict(scenarios[0])},
            "B": {"file": args.scenario_b, "scenario": resolved_dict(scenarios[1])},
            "seeds": c.seeds,
            "overrides": list(args.set),
            # what this report wrote, so that --force may later replace it
            "files": sorted([p.name for p in tmp.iterdir()] + ["manifest.json"]),
        }
        (tmp / "manifest.json").write_text(
            json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
        )


def _figures(tmp: Path, c) -> dict[str, Path]:
    """The map and the relation timelines of the first seed, as PNG files."""
    from sim.plots.charts.compare_relations import compare_relations
    from sim.plots.mapping.compare_map import compare_map

    ra, rb = c.runs_a[0], c.runs_b[0]
    if ra.history.regions is not None:  # a synthetic map: no shapes to draw
        drawers = {"compare_alliances.png": compare_relations}
    else:
        drawers = {
            "compare_map.png": compare_map,
            "compare_alliances.png": compare_relations,
        }
    out = {}
    for name, draw in drawers.items():
        fig = draw(ra, rb)
        fig.savefig(tmp / name)
        out[name] = tmp / name
    return out
