"""Every value in the shipped 2016 scenario names its source or says 'assumption'."""

import re
from pathlib import Path

SCENARIO = Path(__file__).resolve().parents[3] / "scenarios" / "2016.yaml"
VALUE_LINE = re.compile(r"^\s*(- )?[\w\- ]+:\s*[^\s#>|].*$")
EXEMPT_KEYS = (
    "name:",
    "title:",
    "description:",
    "color:",
    "kind:",
    "do:",
    "actor:",
    "path:",
    "label:",
)


def uncommented_values(text: str) -> list[str]:
    bad, in_block = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if in_block:
            if line.startswith("  ") or not line.strip():
                continue
            in_block = False
        if re.match(r"^\w+:\s*>-?\s*$", line):
            in_block = True
            continue
        body = line.split("#", 1)[0]
        if not VALUE_LINE.match(body) or "#" in line:
            continue
        if body.strip().lstrip("- ").startswith(EXEMPT_KEYS):
            continue
        bad.append(f"line {n}: {line.strip()}")
    return bad


def test_every_value_has_a_source_or_says_assumption():
    assert uncommented_values(SCENARIO.read_text(encoding="utf-8")) == []


def test_the_checker_catches_a_bare_value():
    assert uncommented_values("parameters:\n  eta: 0.05\n") == ["line 2: eta: 0.05"]
    assert uncommented_values("parameters:\n  eta: 0.05  # assumption\n") == []
