"""The data colours of learnloop, and their glyph equivalents.

Theme colours ($primary, $panel, ...) come from Textual's CSS. The colours here are for *data*:
classes, signs and heat-map ramps. Every colour has a glyph twin so that nothing is told apart by
colour alone (``--no-color``, ``NO_COLOR``, colour-blind users).

Colours are plain ``(r, g, b)`` tuples of ints so that widgets can quantise and cache them cheaply.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

RGB = tuple[int, int, int]

# Class colours: blue and orange first (the spiral's two arms), then colours that stay apart
# for the common forms of colour blindness (Okabe–Ito order, slightly brightened for dark themes).
CLASS_COLORS: tuple[RGB, ...] = (
    (86, 156, 255),  # blue
    (255, 159, 28),  # orange
    (0, 200, 150),  # bluish green
    (240, 98, 146),  # reddish purple
    (240, 228, 66),  # yellow
    (160, 120, 255),  # violet
    (120, 200, 255),  # sky
    (230, 120, 60),  # vermillion
)
# Glyphs that tell classes apart without colour.
CLASS_GLYPHS: tuple[str, ...] = ("●", "▲", "■", "◆", "✚", "★", "▼", "✖")
CLASS_GLYPHS_ASCII: tuple[str, ...] = ("o", "x", "+", "#", "%", "*", "=", "@")

# Signs: positive weights cyan, negative pink (TOPICS.md, "network").
POSITIVE: RGB = (0, 210, 230)
NEGATIVE: RGB = (255, 80, 160)
SIGN_GLYPHS = {1: "+", -1: "−", 0: "·"}

NEUTRAL: RGB = (24, 26, 32)  # the dark middle of diverging ramps
HIGHLIGHT: RGB = (255, 255, 255)
MUTED: RGB = (110, 110, 120)

# Shading glyphs, darkest to brightest, for heat maps in monochrome mode.
SHADES = " ░▒▓█"


def class_color(k: int) -> RGB:
    """The colour of class ``k`` (wraps around)."""
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def class_glyph(k: int, ascii_only: bool = False) -> str:
    """The glyph of class ``k`` (wraps around)."""
    glyphs = CLASS_GLYPHS_ASCII if ascii_only else CLASS_GLYPHS
    return glyphs[k % len(glyphs)]


def hex_color(rgb: RGB) -> str:
    """``(r, g, b)`` -> ``"#rrggbb"``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def blend(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


@lru_cache(maxsize=64)
def ramp(stops: tuple[RGB, ...], levels: int = 64) -> np.ndarray:
    """A palette of ``levels`` colours interpolated through ``stops``: uint8 array (levels, 3).

    Cached and read-only: widgets index it with quantised values.
    """
    if levels < 2 or len(stops) < 2:
        raise ValueError("a ramp needs at least two stops and two levels")
    stops_arr = np.asarray(stops, dtype=float)
    pos = np.linspace(0.0, 1.0, len(stops))
    t = np.linspace(0.0, 1.0, levels)
    out = np.stack([np.interp(t, pos, stops_arr[:, c]) for c in range(3)], axis=1)
    out = np.round(out).astype(np.uint8)
    out.setflags(write=False)
    return out


def diverging(a: RGB = CLASS_COLORS[0], b: RGB = CLASS_COLORS[1], levels: int = 64) -> np.ndarray:
    """A ramp from class colour ``a`` (value 0) through a dark neutral to ``b`` (value 1).

    The ends are dimmed a little so that points drawn on top in full colour stay visible.
    """
    return ramp((blend(NEUTRAL, a, 0.55), NEUTRAL, blend(NEUTRAL, b, 0.55)), levels)


def signed(levels: int = 64) -> np.ndarray:
    """A ramp for signed values: negative pink, zero dark, positive cyan (value 0 -> -max)."""
    return ramp((NEGATIVE, NEUTRAL, POSITIVE), levels)


def sequential(levels: int = 64) -> np.ndarray:
    """A ramp for magnitudes: dark to bright (value 0 -> smallest)."""
    return ramp((NEUTRAL, (40, 90, 160), (90, 200, 230), (250, 250, 210)), levels)
