"""Fixes for Textual behaviour that costs our users bandwidth. Applied once, when tui.app loads.

Textual 8.2's ``ChopsUpdate.render_segments`` writes a partly changed piece of a line starting at
the *left edge of the widget* (``move_to(x)`` and ``crop(0, …)``) instead of at the first changed
cell. PixelCanvas refreshes only the changed span of each row, so for a heat map in the middle of the
screen that resent every row from its left edge — several times the bytes that changed, which is
what SSH users feel. The fixed version starts at ``max(x, x1)``. Its output is tested against the
original on whole chops (identical) and on partial spans (a suffix of the original's cells).
"""

from __future__ import annotations

from pathlib import Path

import textual
from textual._compositor import ChopsUpdate
from textual.strip import Strip

PATCHED_VERSIONS = ("8.2.",)  # the code below is a copy of 8.2's method with the one fix


def _render_segments(self: ChopsUpdate, console) -> str:
    """Raw terminal data for the changed spans, each starting at its first changed cell."""
    from rich.control import Control

    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items()):
            if strip is None or x > x2 or end <= x1:
                continue
            if x2 > x >= x1 and end <= x2:
                append(move_to(x, y).segment.text)
                append(strip.render(console))
                continue
            start = max(x, x1)
            part: Strip = strip.crop(start - x, min(end, x2) - x)
            append(move_to(start, y).segment.text)
            append(part.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def textual_version() -> str:
    """The installed Textual's version, read from its ``*.dist-info`` folder name.

    ``textual.__version__`` asks ``importlib.metadata``, whose import costs ~12 ms of start-up that
    nothing else needs; the folder name says the same. Falls back to the metadata if not found.
    """
    site = Path(textual.__file__).resolve().parent.parent
    found = sorted(site.glob("textual-*.dist-info"))
    if len(found) == 1:
        return found[0].name[len("textual-") : -len(".dist-info")]
    return textual.__version__


def apply() -> bool:
    """Install the fix on the Textual versions it was written for; True if installed."""
    if not textual_version().startswith(PATCHED_VERSIONS):
        return False
    if getattr(ChopsUpdate.render_segments, "__learnloop_fix__", False):
        return True
    _render_segments.__learnloop_fix__ = True  # type: ignore[attr-defined]
    ChopsUpdate._textual_render_segments = ChopsUpdate.render_segments  # type: ignore[attr-defined]
    ChopsUpdate.render_segments = _render_segments  # type: ignore[method-assign]
    return True
