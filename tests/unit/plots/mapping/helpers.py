"""Is a PNG more than a blank page."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg


def not_blank(png: Path, floor: float = 0.01) -> None:
    pixels = mpimg.imread(png)[..., :3]
    assert pixels.std() > floor, f"{png.name} looks blank"
