"""NetworkDiagram: edge buckets follow the live weights, layout, selection, mouse, speed, sizes."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui import palette
from tui.widgets.network_diagram import (
    EDGE_LEVELS,
    NetworkDiagram,
    edge_buckets,
    edge_color,
    rasterise_lines,
)


class NetApp(App):
    """A bare app around one NetworkDiagram that records its messages."""

    def __init__(self, width: str = "1fr", height: str = "1fr") -> None:
        super().__init__()
        self.selected: list[tuple[int, int]] = []
        self._w, self._h = width, height

    def compose(self) -> ComposeResult:
        net = NetworkDiagram()
        net.styles.width = self._w
        net.styles.height = self._h
        yield net

    def on_network_diagram_node_selected(self, message: NetworkDiagram.NodeSelected) -> None:
        self.selected.append((message.layer, message.index))


def cells_of(strip: Strip) -> list[tuple[str, Style]]:
    """One (character, style) per cell of a strip."""
    out = []
    for seg in strip:
        out.extend((ch, seg.style or Style()) for ch in seg.text)
    return out


def fg_rgb(style: Style) -> tuple[int, int, int] | None:
    if style.color is None:
        return None
    t = style.color.get_truecolor()
    return (t.red, t.green, t.blue)


def brightness(rgb: tuple[int, int, int]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def intensity(rgb: tuple[int, int, int]) -> float:
    """How far a colour has gone from the dark neutral towards its sign's full colour (0..1)."""
    target = palette.POSITIVE if rgb[2] > rgb[0] else palette.NEGATIVE
    span = np.subtract(target, palette.NEUTRAL)
    return float(np.dot(np.subtract(rgb, palette.NEUTRAL), span) / np.dot(span, span))


def random_net(rng: np.random.Generator, sizes: list[int]) -> list[np.ndarray]:
    return [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:])]


# -- pure functions -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(1, 7), min_size=2, max_size=5))
def test_buckets_follow_sign_and_magnitude_rank(seed, sizes):
    rng = np.random.default_rng(seed)
    weights = random_net(rng, sizes)
    if weights[0].size > 1:
        weights[0][0, 0] = 0.0  # a zero weight
    buckets = edge_buckets(weights)
    w = np.concatenate([m.ravel() for m in weights])
    b = np.concatenate([m.ravel() for m in buckets])
    assert np.array_equal(np.sign(b), np.sign(w))
    nonzero = w != 0
    mag, level = np.abs(w[nonzero]), np.abs(b[nonzero])
    order = np.argsort(mag, kind="stable")
    assert np.all(np.diff(level[order]) >= 0)  # larger |w| never gets a smaller bucket
    assert level.max() == EDGE_LEVELS and level[np.argmax(mag)] == EDGE_LEVELS
    assert level.min() >= 1
    # Each bucket covers a band of width 1/(levels - 1) of |w| / max |w|.
    frac = mag / mag.max()
    assert np.all(np.abs(frac * (EDGE_LEVELS - 1) - (level - 1)) < 1 + 1e-9)


def test_edge_values_scale_brightness_but_sign_comes_from_weights():
    weights = [np.array([[1.0, -1.0, 2.0, -0.5]])]
    grads = [np.array([[0.0, 0.9, 0.3, 0.6]])]
    buckets = edge_buckets(weights, grads)[0][0]
    assert list(np.sign(buckets)) == [1, -1, 1, -1]
    level = np.abs(buckets)
    assert level[1] == EDGE_LEVELS and level[0] == 1
    assert level[0] < level[2] < level[3] < level[1]
    with pytest.raises(ValueError):
        edge_buckets(weights, [np.zeros((2, 2))])


def test_non_finite_weights_get_bucket_zero():
    b = edge_buckets([np.array([[np.nan, np.inf, 1.0]])])[0][0]
    assert list(b) == [0, 0, EDGE_LEVELS]


def test_edge_colours_brighten_with_bucket_and_show_the_sign():
    pos = [edge_color(k) for k in range(1, EDGE_LEVELS + 1)]
    neg = [edge_color(-k) for k in range(1, EDGE_LEVELS + 1)]
    assert all(brightness(a) < brightness(b) for a, b in zip(pos, pos[1:]))
    assert all(brightness(a) < brightness(b) for a, b in zip(neg, neg[1:]))
    assert pos[-1] == palette.POSITIVE and neg[-1] == palette.NEGATIVE
    assert all(c[2] > c[0] for c in pos)  # cyan side: blue over red
    assert all(c[0] > c[1] for c in neg)  # pink side: red over green


def test_rasterised_line_is_connected_and_owned_by_the_strongest():
    # Two lines crossing: a horizontal one and a diagonal one, in a 20 × 5 cell grid.
    bits, owner = rasterise_lines(
        np.array([0, 0]), np.array([9, 0]), np.array([39, 39]), np.array([9, 19]),
        np.array([1, 5]), 20, 5,
    )
    # The horizontal line at dot row 9 (cell row 2) covers all 20 cells of that row.
    assert np.all(bits[2] != 0)
    # Dots: the horizontal line lights dot row 1 of each cell of row 2: bits 0x02 / 0x10.
    assert np.all((bits[2] & 0x12) == 0x12)
    # The diagonal goes through every cell row (connected, no gaps).
    assert all(np.any(owner[r] == 1) for r in range(5))
    # Where they cross, the stronger (priority 5, index 1) owns the cell; swap and it flips.
    crossing = [c for c in range(20) if owner[2, c] == 1]
    diagonal_cells = {x // 2 for x in range(40) if int(x * 19 / 39 + 0.5) // 4 == 2}
    assert set(crossing) == diagonal_cells
    assert all(owner[2, c] == 0 for c in range(20) if c not in diagonal_cells)
    _, owner_swapped = rasterise_lines(
        np.array([0, 0]), np.array([9, 0]), np.array([39, 39]), np.array([9, 19]),
        np.array([5, 1]), 20, 5,
    )
    assert np.all(owner_swapped[2] == 0)
    # Empty input.
    bits, owner = rasterise_lines(*(np.zeros(0),) * 5, 4, 4)
    assert not bits.any() and np.all(owner == -1)


# -- pilot --------------------------------------------------------------------------------------


def drawn_styles(net: NetworkDiagram, x: int, ys: range) -> list[Style]:
    """Styles of the non-blank cells in column ``x`` on rows ``ys`` (inside the widget)."""
    out = []
    for y in ys:
        if 0 <= y < net.size.height:
            ch, style = cells_of(net.render_line(y))[x]
            if ch != " ":
                out.append(style)
    return out


def midpoint_cell(net: NetworkDiagram, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The cell halfway along the straight edge between two nodes (independent geometry)."""
    (xa, ya), (xb, yb) = net.node_position(*a), net.node_position(*b)
    return (xa + xb) // 2, round((ya + yb) / 2)


async def test_drawn_edges_are_the_live_weights():
    rng = np.random.default_rng(7)
    sizes = [1, 6]
    app = NetApp()
    async with app.run_test(size=(80, 24)) as pilot:
        net = app.query_one(NetworkDiagram)
        for step in range(3):
            weights = [rng.normal(size=(1, 6)) * (step + 1)]
            net.set_network(sizes, weights)
            await pilot.pause()
            drawn = []
            for j in range(6):
                x, y = midpoint_cell(net, (0, 0), (1, j))
                # The edge passes within a cell of its ideal midpoint.
                near = [
                    cells_of(net.render_line(yy))[x]
                    for yy in (y - 1, y, y + 1)
                    if 0 <= yy < 24 and cells_of(net.render_line(yy))[x][0] != " "
                ]
                assert near, f"edge {j} not drawn near its midpoint"
                colours = {fg_rgb(s) for _, s in near}
                expected = edge_color(int(net.buckets[0][0, j]))
                assert expected in colours
                drawn.append(intensity(expected))
            w = weights[0][0]
            # Sign by colour family, |w| rank by brightness.
            for j in range(6):
                c = edge_color(int(net.buckets[0][0, j]))
                assert (c[2] > c[0]) == (w[j] > 0)
            order = np.argsort(np.abs(w))
            assert all(drawn[a] <= drawn[b] for a, b in zip(order, order[1:]))


@pytest.mark.parametrize("weights", [[[0.2], [-1.0]], [[1.0], [-0.2]]])
async def test_where_edges_meet_the_stronger_one_is_drawn(weights):
    app = NetApp()
    async with app.run_test(size=(40, 12)) as pilot:
        net = app.query_one(NetworkDiagram)
        w = np.array(weights)
        net.set_network([2, 1], [w])
        await pilot.pause()
        x, y = net.node_position(1, 0)
        _, style = cells_of(net.render_line(y))[x - 1]  # the cell where both edges arrive
        rgb = fg_rgb(style)
        assert rgb is not None
        strong = int(np.argmax(np.abs(w[:, 0])))
        assert (rgb[2] > rgb[0]) == (w[strong, 0] > 0)
        assert intensity(rgb) > 0.99


async def test_node_positions_are_inside_and_ordered():
    sizes = [3, 5, 2]
    rng = np.random.default_rng(0)
    for width, height in [(80, 24), (10, 3), (200, 60), (30, 10)]:
        app = NetApp()
        async with app.run_test(size=(width, height)) as pilot:
            net = app.query_one(NetworkDiagram)
            net.set_network(sizes, random_net(rng, sizes))
            await pilot.pause()
            xs = []
            for layer, n in enumerate(sizes):
                pos = [net.node_position(layer, i) for i in range(n)]
                assert all(0 <= x < width and 0 <= y < height for x, y in pos)
                assert len({x for x, _ in pos}) == 1  # one column per layer
                ys = [y for _, y in pos]
                assert ys == sorted(ys)
                if n <= height:
                    assert len(set(ys)) == n
                    gaps = np.diff(ys)
                    if len(gaps):
                        assert gaps.max() - gaps.min() <= 1  # evenly spaced
                xs.append(pos[0][0])
            if width >= 2 * len(sizes):
                assert xs == sorted(xs) and len(set(xs)) == len(xs)


async def test_values_written_when_they_fit_else_glyphs():
    sizes = [2, 3, 1]
    rng = np.random.default_rng(1)
    weights = random_net(rng, sizes)
    values = [np.array([0.73, -0.25]), np.array([0.5, 0.125, -1.0]), np.array([0.9])]
    app = NetApp()
    async with app.run_test(size=(80, 24)) as pilot:
        net = app.query_one(NetworkDiagram)
        labels = [["x1", "x2"], ["", "", ""], ["ŷ"]]
        net.set_network(sizes, weights, node_values=values, node_labels=labels)
        await pilot.pause()
        for layer, layer_values in enumerate(values):
            for i, v in enumerate(layer_values):
                x, y = net.node_position(layer, i)
                line = net.render_line(y).text
                assert f"{v:.2f}" in line[x - 4 : x + 5]
        screen = "\n".join(net.render_line(y).text for y in range(24))
        assert "x1" in screen and "x2" in screen and "ŷ" in screen
    app = NetApp()
    async with app.run_test(size=(14, 6)) as pilot:
        net = app.query_one(NetworkDiagram)
        net.set_network(sizes, weights, node_values=values)
        await pilot.pause()
        for layer, n in enumerate(sizes):
            for i in range(n):
                x, y = net.node_position(layer, i)
                assert net.render_line(y).text[x] == "●"


async def test_biases_are_written_under_their_nodes_when_there_is_room():
    sizes = [2, 2]
    app = NetApp()
    async with app.run_test(size=(60, 20)) as pilot:
        net = app.query_one(NetworkDiagram)
        biases = [np.array([0.25, -1.5])]
        net.set_network(sizes, [np.eye(2)], biases=biases, node_values=[[1, 2], [3, 4]])
        await pilot.pause()
        for i, text in enumerate(["b0.25", "b-1.50"]):
            x, y = net.node_position(1, i)
            assert text in net.render_line(y + 1).text


async def test_selected_node_and_its_edges_stand_out():
    sizes = [3, 3]
    weights = [np.full((3, 3), 1.0)]
    app = NetApp()
    async with app.run_test(size=(80, 24)) as pilot:
        net = app.query_one(NetworkDiagram)
        net.set_network(sizes, weights, selected=(1, 1))
        await pilot.pause()
        x, y = net.node_position(1, 1)
        glyph, style = cells_of(net.render_line(y))[x]
        assert glyph == "◉" or style.reverse
        # The selected node's edge (0,0)->(1,1) is bold; the edge (0,0)->(1,0) is dimmed.
        sx, sy = midpoint_cell(net, (0, 0), (1, 1))
        ox, oy = midpoint_cell(net, (0, 2), (1, 2))
        sel_styles = drawn_styles(net, sx, range(sy - 1, sy + 2))
        other = drawn_styles(net, ox, range(oy - 1, oy + 2))
        assert any(s.bold for s in sel_styles)
        assert other and all(not s.bold for s in other)
        full = edge_color(int(net.buckets[0][0, 0]))
        assert all(intensity(fg_rgb(s) or (0, 0, 0)) < intensity(full) for s in other)
        net.select(None)
        await pilot.pause()
        assert net.selected is None


async def test_clicking_a_node_posts_node_selected():
    sizes = [2, 4, 1]
    rng = np.random.default_rng(2)
    app = NetApp()
    async with app.run_test(size=(80, 24)) as pilot:
        net = app.query_one(NetworkDiagram)
        net.set_network(sizes, random_net(rng, sizes))
        await pilot.pause()
        for layer, n in enumerate(sizes):
            for i in range(n):
                x, y = net.node_position(layer, i)
                await pilot.click(NetworkDiagram, offset=(x, y))
                await pilot.pause()
                assert app.selected[-1] == (layer, i)
        count = len(app.selected)
        await pilot.click(NetworkDiagram, offset=(40, 0))  # empty space
        await pilot.pause()
        assert len(app.selected) == count


async def test_monochrome_negative_edges_dashed_weak_edges_dim(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = NetApp()
    async with app.run_test(size=(60, 9)) as pilot:
        assert app.no_color
        net = app.query_one(NetworkDiagram)

        def gaps_between_nodes() -> int:
            (xa, y), (xb, _) = net.node_position(0, 0), net.node_position(1, 0)
            row = net.render_line(y).text
            return sum(1 for ch in row[xa + 2 : xb - 1] if ch == " ")

        net.set_network([1, 1], [np.array([[0.8]])])
        await pilot.pause()
        assert gaps_between_nodes() == 0  # positive: solid
        net.set_network([1, 1], [np.array([[-0.8]])])
        await pilot.pause()
        assert gaps_between_nodes() > 3  # negative: dashed
        # Weak edges dim, strong edges not (brightness must survive without colour).
        net.set_network([2, 1], [np.array([[1.0], [0.05]])])
        await pilot.pause()
        strong = midpoint_cell(net, (0, 0), (1, 0))
        weak = midpoint_cell(net, (0, 1), (1, 0))
        s_style = drawn_styles(net, strong[0], range(9))
        w_style = drawn_styles(net, weak[0], range(9))
        assert any(s.dim for s in w_style) and any(not s.dim for s in s_style)


async def test_many_edges_render_fast():
    rng = np.random.default_rng(3)
    sizes = [32] * 6
    weights = random_net(rng, sizes)
    values = [rng.uniform(-1, 1, n) for n in sizes]
    app = NetApp()
    async with app.run_test(size=(160, 50)) as pilot:
        net = app.query_one(NetworkDiagram)
        start = time.perf_counter()
        frames = 5
        for _ in range(frames):
            weights = [w + rng.normal(scale=0.05, size=w.shape) for w in weights]
            net.set_network(sizes, weights, node_values=values, selected=(2, 5))
            for y in range(50):
                net.render_line(y)
        per_frame = (time.perf_counter() - start) / frames
        print(f"\n6×32 network at 160×50: {per_frame * 1000:.1f} ms per redraw")
        assert per_frame < 1.0
        # Cached: a second pass over the lines does not rasterise again.
        start = time.perf_counter()
        for y in range(50):
            net.render_line(y)
        assert time.perf_counter() - start < per_frame
        await pilot.pause()


@pytest.mark.parametrize("size", [(0, 0), (10, 3), (200, 60)])
@pytest.mark.parametrize("sizes", [[], [1], [2, 3, 1], [32, 32, 32, 32, 32, 32]])
async def test_any_size_and_empty_data_render(size, sizes):
    rng = np.random.default_rng(4)
    app = NetApp(width=str(size[0]), height=str(size[1]))
    async with app.run_test(size=(200, 60)) as pilot:
        net = app.query_one(NetworkDiagram)
        values = [rng.normal(size=n) for n in sizes]
        labels = [[f"n{i}" for i in range(n)] for n in sizes]
        sel = (0, 0) if sizes else None
        weights = random_net(rng, sizes)
        net.set_network(sizes, weights, node_values=values, node_labels=labels, selected=sel)
        await pilot.pause()
        assert tuple(net.size) == size
        for y in range(size[1]):
            assert net.render_line(y).cell_length == size[0]
        for layer, n in enumerate(sizes):
            net.node_position(layer, n - 1)
        app.export_screenshot()
        net.clear()
        await pilot.pause()
        app.export_screenshot()


@pytest.mark.parametrize(
    "args",
    [
        ([2, 2], []),
        ([2, 2], [np.zeros((2, 3))]),
        ([2, 0], [np.zeros((2, 0))]),
        ([2, 2], [np.zeros((2, 2))], [np.zeros(3)]),
        ([2, 2], [np.zeros((2, 2))], None, [[1, 2]]),
        ([2, 2], [np.zeros((2, 2))], None, None, [["a"], ["b", "c"]]),
        ([2, 2], [np.zeros((2, 2))], None, None, None, [np.zeros((3, 3))]),
        ([2, 2], [np.zeros((2, 2))], None, None, None, None, (2, 0)),
        ([2, 2], [np.zeros((2, 2))], None, None, None, None, (0, 5)),
    ],
)
async def test_bad_input_raises_value_error_and_keeps_the_old_network(args):
    app = NetApp()
    async with app.run_test(size=(40, 12)) as pilot:
        net = app.query_one(NetworkDiagram)
        weights = [np.array([[0.5, -1.0, 2.0]])]
        net.set_network([1, 3], weights)
        await pilot.pause()
        before = [net.render_line(y).text for y in range(12)]
        with pytest.raises(ValueError):
            net.set_network(*args)
        await pilot.pause()
        assert [net.render_line(y).text for y in range(12)] == before
        assert np.array_equal(net.buckets[0], edge_buckets(weights)[0])


async def test_unselected_edges_keep_their_brightness_when_asked():
    app = NetApp()
    async with app.run_test(size=(80, 24)) as pilot:
        net = app.query_one(NetworkDiagram)
        net.dim_unselected = False
        net.set_network([3, 3], [np.full((3, 3), 1.0)], selected=(1, 1))
        await pilot.pause()
        ox, oy = midpoint_cell(net, (0, 2), (1, 2))
        other = drawn_styles(net, ox, range(oy - 1, oy + 2))
        full = edge_color(int(net.buckets[0][0, 0]))
        assert other and all(fg_rgb(s) == full and not s.bold for s in other)
