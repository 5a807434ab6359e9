"""NetworkDiagram: a layered feed-forward network drawn with braille edge lines.

Nodes sit in columns (layers, left to right), evenly spaced vertically, and show their value when
there is room (else a glyph). Edges are coloured by the sign of their weight (palette.POSITIVE /
palette.NEGATIVE) and made brighter (and, for the strongest third, thicker) by magnitude, so the
rank of |w| is visible. Where edges cross, the stronger one colours the cell.

Everything is rasterised into a cell buffer when the data or the size changes (vectorised NumPy
over all edges); ``render_line`` only returns cached strips.

Monochrome (``NO_COLOR``): negative edges are dashed, positive ones solid; weak edges are dim and
strong ones thick, so sign and magnitude stay readable without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import floor

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui import palette
from tui.widgets.drawing import rgb_style, runs_to_strip

RGB = tuple[int, int, int]

EDGE_LEVELS = 8
"""Number of magnitude buckets per sign."""

NODE_GLYPH = "●"
SELECTED_GLYPH = "◉"

# Braille dot bit numbers (bit k = 1 << k), indexed by dot row * 2 + dot column.
_BIT_INDEX = np.array([0, 3, 1, 4, 2, 5, 6, 7], dtype=np.int32)
_BRAILLE_CHARS = np.array([" "] + [chr(0x2800 + b) for b in range(1, 256)], dtype=object)

# Style keys of cells that are not edges.
_BLANK, _NODE, _NODE_SELECTED, _LABEL = 0, -1, -2, -3


def edge_buckets(
    weights: Sequence[np.ndarray],
    edge_values: Sequence[np.ndarray] | None = None,
    levels: int = EDGE_LEVELS,
) -> list[np.ndarray]:
    """The signed colour bucket of every edge: ``sign(w) · k``.

    ``k`` in 1..levels grows with ``|value| / max |value|`` over the whole network, where the value
    is ``edge_values`` if given (e.g. |∂L/∂w| in backprop) else the weight itself; a larger
    magnitude never gets a smaller bucket, and the largest gets ``levels``. Zero or non-finite
    weights get bucket 0.
    """
    if levels < 1:
        raise ValueError("the number of edge levels must be at least 1")
    ws = [np.asarray(w, dtype=float) for w in weights]
    if edge_values is None:
        mags = [np.abs(w) for w in ws]
    else:
        if len(edge_values) != len(ws):
            raise ValueError("edge_values must have one array per weight matrix")
        mags = [np.abs(np.asarray(v, dtype=float)) for v in edge_values]
        for w, m in zip(ws, mags):
            if w.shape != m.shape:
                raise ValueError(f"edge_values shape {m.shape} differs from weights {w.shape}")
    finite = [m[np.isfinite(m)] for m in mags]
    top = max((float(f.max()) for f in finite if f.size), default=0.0)
    out = []
    for w, m in zip(ws, mags):
        m = np.where(np.isfinite(m), m, 0.0)
        frac = m / top if top > 0 else np.zeros_like(m)
        k = 1 + np.floor((levels - 1) * frac + 1e-9).astype(np.int64)
        k = np.clip(k, 1, levels)
        sign = np.where(np.isfinite(w), np.sign(w), 0).astype(np.int64)
        out.append(sign * k)
    return out


def edge_color(bucket: int, levels: int = EDGE_LEVELS) -> RGB:
    """The colour of a signed bucket: cyan (> 0) or pink (< 0), brighter for larger |bucket|."""
    if bucket == 0:
        return palette.blend(palette.NEUTRAL, palette.MUTED, 0.6)
    k = min(abs(int(bucket)), levels)
    target = palette.POSITIVE if bucket > 0 else palette.NEGATIVE
    return palette.blend(palette.NEUTRAL, target, 0.25 + 0.75 * k / levels)


def format_value(value: float) -> str:
    """A node value in at most 5 characters, e.g. "0.73", "-1.25", "12.3", "1e+03"."""
    v = float(value)
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    if abs(v) < 9.995:
        return f"{v:.2f}"
    if abs(v) < 99.95:
        return f"{v:.1f}"
    if abs(v) < 999.5:
        return f"{v:.0f}"
    return f"{v:.0e}"


def rasterise_lines(
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    priority: np.ndarray,
    width: int,
    height: int,
    *,
    dashed: np.ndarray | None = None,
    thick: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw straight lines in braille dot space (2 × 4 dots per cell), all at once.

    Line ``i`` runs from dot (x0[i], y0[i]) to (x1[i], y1[i]). ``dashed`` lines skip every other
    run of three dots; ``thick`` lines get a second dot row. Returns ``bits`` (height, width)
    uint8, the braille dot bits of each cell, and ``owner`` (height, width) int64, the index of
    the line of highest ``priority`` (ties: the later line) that touches each cell, or -1.
    """
    bits = np.zeros((height, width), dtype=np.uint8)
    owner = np.full((height, width), -1, dtype=np.int64)
    n = len(x0)
    if n == 0 or width <= 0 or height <= 0:
        return bits, owner
    # Endpoints clipped to the dot grid: every dot of a line then lies inside it.
    xs = np.clip(np.stack([x0, x1]).astype(np.int32), 0, 2 * width - 1)
    ys = np.clip(np.stack([y0, y1]).astype(np.int32), 0, 4 * height - 1)
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    steps = np.maximum(np.abs(dx), np.abs(dy)) + 1
    line = np.repeat(np.arange(n, dtype=np.int32), steps)
    k = np.arange(line.size, dtype=np.int32)
    k -= np.repeat((np.cumsum(steps) - steps).astype(np.int32), steps)
    kf = k.astype(np.float32)
    inv = 1.0 / np.maximum(steps - 1, 1)
    px = np.repeat((xs[0] + 0.5).astype(np.float32), steps)
    px += kf * np.repeat((dx * inv).astype(np.float32), steps)
    py = np.repeat((ys[0] + 0.5).astype(np.float32), steps)
    py += kf * np.repeat((dy * inv).astype(np.float32), steps)
    px, py = px.astype(np.int32), py.astype(np.int32)
    if dashed is not None:
        keep = ~np.asarray(dashed, dtype=bool)[line] | (k % 6 < 3)
        px, py, line = px[keep], py[keep], line[keep]
    if thick is not None:
        extra = np.asarray(thick, dtype=bool)[line]
        px = np.concatenate([px, px[extra]])
        py = np.concatenate([py, np.minimum(py[extra] + 1, 4 * height - 1)])
        line = np.concatenate([line, line[extra]])
    cell = (py >> 2) * width + (px >> 1)
    code = cell * 8 + _BIT_INDEX[(py & 3) * 2 + (px & 1)]
    present = np.bincount(code, minlength=width * height * 8).reshape(-1, 8) > 0
    bits = np.packbits(present, axis=1, bitorder="little").reshape(height, width)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), np.asarray(priority)))] = np.arange(n)
    flat = owner.reshape(-1)
    np.maximum.at(flat, cell, rank[line])
    drawn = flat >= 0
    by_rank = np.empty(n, dtype=np.int64)
    by_rank[rank] = np.arange(n)
    flat[drawn] = by_rank[flat[drawn]]
    return bits, owner


@dataclass(frozen=True)
class _Layout:
    """Where nodes are drawn: per layer the box's left column, box width and the node rows."""

    left: tuple[int, ...]
    box: int
    rows: tuple[tuple[int, ...], ...]
    texts: tuple[tuple[str, ...], ...] | None  # node texts when shown, else glyphs
    side_labels: bool
    bias_rows: bool


class NetworkDiagram(Widget):
    """A feed-forward network: layers as columns of nodes, weights as coloured edges."""

    DEFAULT_CSS = """
    NetworkDiagram {
        width: 1fr;
        height: 1fr;
        background: $panel;
        color: $foreground;
    }
    NetworkDiagram > .network-diagram--node {
        color: $foreground;
        text-style: bold;
    }
    NetworkDiagram > .network-diagram--selected {
        color: $accent;
        text-style: bold reverse;
    }
    NetworkDiagram > .network-diagram--label {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES = {
        "network-diagram--node",
        "network-diagram--selected",
        "network-diagram--label",
    }

    class NodeSelected(Message):
        """A node was clicked."""

        def __init__(self, diagram: NetworkDiagram, layer: int, index: int) -> None:
            super().__init__()
            self.diagram = diagram
            self.layer = layer
            self.index = index

        @property
        def control(self) -> NetworkDiagram:
            return self.diagram

    def __init__(
        self,
        *,
        levels: int = EDGE_LEVELS,
        dim_unselected: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if levels < 1:
            raise ValueError("the number of edge levels must be at least 1")
        self.levels = levels
        self.dim_unselected = dim_unselected
        """When a node is selected, dim the other edges (False: they keep their brightness by |w|)."""
        self._sizes: tuple[int, ...] = ()
        self._weights: list[np.ndarray] = []
        self._biases: list[np.ndarray] | None = None
        self._values: list[np.ndarray] | None = None
        self._labels: list[list[str]] | None = None
        self._buckets: list[np.ndarray] = []
        self._selected: tuple[int, int] | None = None
        self._strips: list[Strip] | None = None
        self._net_layout: tuple[tuple, _Layout] | None = None

    # -- data -------------------------------------------------------------------------------

    def set_network(
        self,
        layer_sizes: Sequence[int],
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray] | None = None,
        node_values: Sequence[Sequence[float]] | None = None,
        node_labels: Sequence[Sequence[str]] | None = None,
        edge_values: Sequence[np.ndarray] | None = None,
        selected: tuple[int, int] | None = None,
    ) -> None:
        """Show a network.

        ``weights[i]`` has shape (n_i, n_{i+1}); ``biases[i]`` (n_{i+1},) belongs to layer i + 1;
        ``node_values[l]`` (n_l,) are written in the nodes when they fit; ``node_labels[l]`` are
        written in the nodes when there are no values, else beside the input and output layers;
        ``edge_values`` (same shapes as weights) scale edge brightness instead of |w|;
        ``selected=(layer, index)`` highlights a node and its edges.
        """
        sizes = tuple(int(n) for n in layer_sizes)
        if any(n < 1 for n in sizes):
            raise ValueError("every layer needs at least one node")
        if len(weights) != max(len(sizes) - 1, 0):
            raise ValueError(
                f"{len(sizes)} layers need {max(len(sizes) - 1, 0)} weight matrices, "
                f"got {len(weights)}"
            )
        ws = [np.asarray(w, dtype=float) for w in weights]
        for i, w in enumerate(ws):
            if w.shape != (sizes[i], sizes[i + 1]):
                raise ValueError(
                    f"weights[{i}] must have shape ({sizes[i]}, {sizes[i + 1]}), got {w.shape}"
                )
        bs = None
        if biases is not None:
            if len(biases) != len(ws):
                raise ValueError(f"biases must have one array per weight matrix ({len(ws)})")
            bs = [np.asarray(b, dtype=float).reshape(-1) for b in biases]
            for i, b in enumerate(bs):
                if b.shape != (sizes[i + 1],):
                    raise ValueError(f"biases[{i}] must have {sizes[i + 1]} entries")
        vals = None
        if node_values is not None:
            if len(node_values) != len(sizes):
                raise ValueError(f"node_values must have one array per layer ({len(sizes)})")
            vals = [np.asarray(v, dtype=float).reshape(-1) for v in node_values]
            for i, v in enumerate(vals):
                if v.shape != (sizes[i],):
                    raise ValueError(f"node_values[{i}] must have {sizes[i]} entries")
        labels = None
        if node_labels is not None:
            if len(node_labels) != len(sizes):
                raise ValueError(f"node_labels must have one list per layer ({len(sizes)})")
            labels = [[str(t) for t in layer] for layer in node_labels]
            for i, layer in enumerate(labels):
                if len(layer) != sizes[i]:
                    raise ValueError(f"node_labels[{i}] must have {sizes[i]} entries")
        buckets = edge_buckets(ws, edge_values, self.levels)
        self._check_selected(selected, sizes)
        self._sizes, self._weights, self._biases = sizes, ws, bs
        self._values, self._labels, self._buckets = vals, labels, buckets
        self._selected = None if selected is None else (int(selected[0]), int(selected[1]))
        self._redraw()

    def clear(self) -> None:
        """Show nothing."""
        self.set_network((), ())

    def select(self, selected: tuple[int, int] | None) -> None:
        """Highlight node ``(layer, index)`` and its edges, or nothing."""
        self._check_selected(selected, self._sizes)
        self._selected = None if selected is None else (int(selected[0]), int(selected[1]))
        self._redraw()

    @staticmethod
    def _check_selected(selected: tuple[int, int] | None, sizes: tuple[int, ...]) -> None:
        if selected is None:
            return
        try:
            layer, index = (int(v) for v in selected)
        except (TypeError, ValueError):
            raise ValueError(f"selected must be a (layer, index) pair, got {selected!r}") from None
        if not (0 <= layer < len(sizes) and 0 <= index < sizes[layer]):
            raise ValueError(f"there is no node {index} in layer {layer}")

    @property
    def selected(self) -> tuple[int, int] | None:
        """The highlighted node, if any."""
        return self._selected

    @property
    def buckets(self) -> list[np.ndarray]:
        """The signed colour bucket of every edge (see :func:`edge_buckets`)."""
        return self._buckets

    # -- layout -----------------------------------------------------------------------------

    def _node_layout(self) -> _Layout:
        width, height = self.size
        key = (width, height)
        if self._net_layout is not None and self._net_layout[0] == key:
            return self._net_layout[1]
        layout = self._compute_layout(max(width, 0), max(height, 0))
        self._net_layout = (key, layout)
        return layout

    def _compute_layout(self, width: int, height: int) -> _Layout:
        sizes = self._sizes
        n_layers = len(sizes)
        if n_layers == 0:
            return _Layout((), 1, (), None, False, False)
        rows = tuple(
            tuple(min(floor((j + 0.5) * height / n), max(height - 1, 0)) for j in range(n))
            for n in sizes
        )
        texts: list[list[str]] | None = None
        if self._values is not None:
            texts = [[format_value(v) for v in layer] for layer in self._values]
        elif self._labels is not None:
            texts = [list(layer) for layer in self._labels]
        fits_rows = all(n <= height for n in sizes)
        if texts is not None and fits_rows:
            box = max(cell_len(t) for layer in texts for t in layer) + 2  # a space each side
            side = self._values is not None and self._labels is not None
            for use_side in ((True, False) if side else (False,)):
                lm, rm = self._side_margins() if use_side else (0, 0)
                if self._fits(width, box, lm, rm):
                    bias_rows = (
                        self._biases is not None and all(height / n >= 2 for n in sizes[1:])
                    )
                    left = self._columns(width, box, lm, rm)
                    frozen = tuple(tuple(layer) for layer in texts)
                    return _Layout(left, box, rows, frozen, use_side, bias_rows)
        return _Layout(self._columns(width, 1, 0, 0), 1, rows, None, False, False)

    def _side_margins(self) -> tuple[int, int]:
        assert self._labels is not None
        lm = max(cell_len(t) for t in self._labels[0]) + 1
        rm = max(cell_len(t) for t in self._labels[-1]) + 1
        return lm, rm

    def _fits(self, width: int, box: int, lm: int, rm: int) -> bool:
        n_layers = len(self._sizes)
        free = width - lm - rm - box * n_layers
        return free >= 4 * max(n_layers - 1, 0) and free >= 0

    def _columns(self, width: int, box: int, lm: int, rm: int) -> tuple[int, ...]:
        n_layers = len(self._sizes)
        usable = width - lm - rm - box
        if n_layers == 1:
            return (lm + max(usable, 0) // 2,)
        return tuple(lm + round(i * max(usable, 0) / (n_layers - 1)) for i in range(n_layers))

    def node_position(self, layer: int, index: int) -> tuple[int, int]:
        """The (x, y) cell at the centre of a node's drawing, in widget coordinates."""
        self._check_selected((layer, index), self._sizes)
        lay = self._node_layout()
        return lay.left[layer] + (lay.box - 1) // 2, lay.rows[layer][index]

    def node_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The node drawn at or right next to (x, y), or None."""
        if not self._sizes:
            return None
        lay = self._node_layout()
        best: tuple[float, tuple[int, int]] | None = None
        for layer, rows in enumerate(lay.rows):
            x0 = lay.left[layer]
            if not (x0 - 1 <= x <= x0 + lay.box):
                continue
            for index, row in enumerate(rows):
                d = abs(row - y)
                if d <= 1 and (best is None or d < best[0]):
                    best = (d, (layer, index))
        return None if best is None else best[1]

    # -- rasterising ------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._strips = None
        self._net_layout = None
        self.refresh()

    def _redraw(self) -> None:
        """Rasterise now and refresh only the rows that differ from what is shown: while a network
        trains, most edges keep their colour bucket from one epoch to the next."""
        old = self._strips
        self._net_layout = None
        width, height = self.size
        if old is None or height == 0 or len(old) != height:
            self._invalidate()
            return
        new = self._rasterise()
        self._strips = new
        changed = [y for y, (a, b) in enumerate(zip(old, new)) if list(a) != list(b)]
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def on_resize(self, event: events.Resize) -> None:
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        if self._strips is None or len(self._strips) != self.size.height:
            self._strips = self._rasterise()
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _edge_segments(self, lay: _Layout) -> tuple[np.ndarray, ...]:
        """All edges as dot-space segments: (x0, y0, x1, y1, bucket, selected) arrays."""
        sel = self._selected
        x0s, y0s, x1s, y1s, bks, sels = [], [], [], [], [], []
        for i, bucket in enumerate(self._buckets):
            n_in, n_out = bucket.shape
            src = np.repeat(np.arange(n_in), n_out)
            dst = np.tile(np.arange(n_out), n_in)
            rows_a = np.asarray(lay.rows[i])[src]
            rows_b = np.asarray(lay.rows[i + 1])[dst]
            x0s.append(np.full(src.size, 2 * (lay.left[i] + lay.box)))
            x1s.append(np.full(src.size, 2 * lay.left[i + 1] - 1))
            y0s.append(4 * rows_a + 1)
            y1s.append(4 * rows_b + 1)
            bks.append(bucket.reshape(-1))
            if sel is None:
                sels.append(np.zeros(src.size, dtype=bool))
            else:
                sels.append(
                    ((sel[0] == i) & (src == sel[1])) | ((sel[0] == i + 1) & (dst == sel[1]))
                )
        if not bks:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, empty, empty, np.zeros(0, dtype=bool)
        cat = np.concatenate
        return cat(x0s), cat(y0s), cat(x1s), cat(y1s), cat(bks), cat(sels)

    def _rasterise(self) -> list[Strip]:
        width, height = self.size
        if width <= 0 or height <= 0:
            return []
        mono = bool(getattr(self.app, "no_color", False))
        lay = self._node_layout()
        x0, y0, x1, y1, bucket, sel = self._edge_segments(lay)
        level = np.abs(bucket)
        # Stronger edges over weaker ones, selected edges over everything.
        priority = level + np.where(sel, self.levels + 1, 0)
        bits, owner = rasterise_lines(
            x0,
            y0,
            x1,
            y1,
            priority,
            width,
            height,
            dashed=(bucket < 0) if mono else None,
            thick=level > (2 * self.levels) // 3,
        )
        # Style key of an edge cell: 1 + (bucket + levels) * 3 + state, where state is
        # 0 plain, 1 dimmed (another node is selected) or 2 selected.
        keys = np.zeros((height, width), dtype=np.int64)
        drawn = owner >= 0
        if drawn.any():
            e = owner[drawn]
            dim = self._selected is not None and self.dim_unselected
            state = np.where(sel[e], 2, 1 if dim else 0)
            keys[drawn] = 1 + (bucket[e] + self.levels) * 3 + state
        chars = _BRAILLE_CHARS[bits].tolist()
        key_rows = keys.tolist()
        self._overlay_nodes(lay, chars, key_rows, width, height)
        styles = self._styles(np.unique(keys).tolist(), mono)
        return [runs_to_strip(chars[y], key_rows[y], styles) for y in range(height)]

    def _overlay_nodes(
        self, lay: _Layout, chars: list[list[str]], keys: list[list[int]], width: int, height: int
    ) -> None:
        def put(x: int, y: int, text: str, key: int) -> None:
            if not 0 <= y < height:
                return
            for i, ch in enumerate(text):
                if 0 <= x + i < width:
                    chars[y][x + i] = ch
                    keys[y][x + i] = key

        for layer, rows in enumerate(lay.rows):
            x0 = lay.left[layer]
            for index, row in enumerate(rows):
                selected = self._selected == (layer, index)
                key = _NODE_SELECTED if selected else _NODE
                if lay.texts is None:
                    put(x0, row, SELECTED_GLYPH if selected else NODE_GLYPH, key)
                    continue
                text = lay.texts[layer][index]
                pad = lay.box - cell_len(text)
                put(x0, row, " " * (pad - pad // 2) + text + " " * (pad // 2), key)
                if lay.side_labels and self._labels is not None:
                    if layer == 0:
                        label = self._labels[0][index]
                        put(x0 - 1 - cell_len(label), row, label, _LABEL)
                    if layer == len(lay.rows) - 1:
                        put(x0 + lay.box + 1, row, self._labels[-1][index], _LABEL)
                if lay.bias_rows and layer > 0 and self._biases is not None:
                    bias = "b" + format_value(self._biases[layer - 1][index])
                    put(x0 + (lay.box - cell_len(bias)) // 2, row + 1, bias, _LABEL)

    def _styles(self, keys: list[int], mono: bool) -> dict[int, Style]:
        """Rich styles (over the widget's base style) for the style keys present in the buffer."""
        base = self.rich_style
        component = self.get_component_rich_style
        styles: dict[int, Style] = {
            _BLANK: base,
            _NODE: base + component("network-diagram--node", partial=True),
            _NODE_SELECTED: base + component("network-diagram--selected", partial=True),
            _LABEL: base + component("network-diagram--label", partial=True),
        }
        for key in keys:
            if key <= 0:
                continue
            bucket, state = divmod(key - 1, 3)
            bucket -= self.levels
            rgb = edge_color(bucket, self.levels)
            if state == 1:
                rgb = palette.blend(rgb, palette.NEUTRAL, 0.6)
            weak = abs(bucket) <= self.levels // 3
            edge = rgb_style(rgb, None, bold=state == 2, dim=mono and weak and state != 2)
            styles[key] = base + edge
        return styles

    # -- mouse ------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        node = self.node_at(event.x, event.y)
        if node is not None:
            self.post_message(self.NodeSelected(self, *node))
