"""Drawing helpers shared by the widgets: cached Rich styles, rows of runs as Strips, colour maths."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui import palette
from tui.palette import RGB


def as_rgb(value: object) -> RGB:
    """``value`` as an ``(r, g, b)`` tuple of ints in 0..255; ValueError if it is not one."""
    try:
        r, g, b = (int(c) for c in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ValueError(f"a colour must be three integers (r, g, b), not {value!r}") from None
    if not all(0 <= c <= 255 for c in (r, g, b)):
        raise ValueError(f"colour components must lie in 0..255, not {value!r}")
    return (r, g, b)


@lru_cache(maxsize=4096)
def rgb_style(
    fg: RGB | None = None,
    bg: RGB | None = None,
    *,
    bold: bool = False,
    dim: bool = False,
    reverse: bool = False,
    underline: bool = False,
) -> Style:
    """A Rich ``Style`` for foreground/background RGB colours and attributes (cached)."""
    return Style(
        color=None if fg is None else Color.from_rgb(*fg),
        bgcolor=None if bg is None else Color.from_rgb(*bg),
        bold=bold or None,
        dim=dim or None,
        reverse=reverse or None,
        underline=underline or None,
    )


def runs_to_strip(
    chars: Sequence[str], keys: Sequence[Hashable], styles: Mapping[Hashable, Style]
) -> Strip:
    """One row of single-cell characters with a style key each -> a Strip (one segment per run)."""
    segments: list[Segment] = []
    n = len(chars)
    start = 0
    while start < n:
        key = keys[start]
        end = start + 1
        while end < n and keys[end] == key:
            end += 1
        segments.append(Segment("".join(chars[start:end]), styles[key]))
        start = end
    return Strip(segments, n)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance in [0, 1] of uint8 RGB colours (..., 3) (Rec. 709 weights, no gamma)."""
    arr = np.asarray(rgb, dtype=float) / 255.0
    return arr @ np.array([0.2126, 0.7152, 0.0722])


def contrast_text(rgb: RGB) -> RGB:
    """Black or white, whichever reads better on background ``rgb``."""
    return (0, 0, 0) if float(luminance(np.array(rgb))) > 0.5 else (255, 255, 255)


def shade_glyph(rgb: RGB) -> str:
    """The shade glyph (palette.SHADES) of a colour's luminance, for monochrome mode."""
    levels = len(palette.SHADES)
    k = int(round(float(luminance(np.array(rgb))) * (levels - 1)))
    return palette.SHADES[min(max(k, 0), levels - 1)]


def after_frames(node, frames: int, callback: Callable[[], object]) -> None:
    """Call ``callback`` after ``node``'s screen has refreshed ``frames`` more times: for work that
    may wait until the first pictures are on screen (imports, text layout)."""
    if frames <= 1:
        node.call_after_refresh(callback)
    else:
        node.call_after_refresh(lambda: after_frames(node, frames - 1, callback))
