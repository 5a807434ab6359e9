"""The network screen: the diagram is the live weight matrix (checked through the widget), training
changes it, selecting a neuron shows that neuron's own map."""

from __future__ import annotations

import numpy as np

from tui.app import LearnLoopApp
from tui.widgets.network_diagram import EDGE_LEVELS, NetworkDiagram, edge_color
from tui.widgets.pixel_canvas import PixelCanvas


def app_for(**options) -> LearnLoopApp:
    return LearnLoopApp("network", seed=0, autoplay=False, options=options)


def assert_diagram_is_the_live_weights(diagram: NetworkDiagram, weights: list[np.ndarray]) -> None:
    """Sign and rank of magnitude, read from the widget's own state, match the model's matrices."""
    assert len(diagram._weights) == len(weights)
    for drawn, live in zip(diagram._weights, weights):
        np.testing.assert_array_equal(drawn, live)
    w = np.concatenate([np.ravel(m) for m in weights])
    k = np.concatenate([np.ravel(b) for b in diagram.buckets])
    np.testing.assert_array_equal(np.sign(k), np.sign(w))  # cyan where positive, pink where negative
    order = np.argsort(np.abs(w), kind="stable")
    assert np.all(np.diff(np.abs(k[order])) >= 0)  # a larger |w| never looks weaker
    assert np.abs(k[np.argmax(np.abs(w))]) == EDGE_LEVELS


def colour_at(diagram: NetworkDiagram, x: int, y: int) -> tuple[int, int, int] | None:
    """The foreground colour of a drawn (non-blank) cell, else None."""
    col = 0
    for seg in diagram.render_line(y):
        if col <= x < col + len(seg.text):
            color = seg.style.color if seg.style else None
            if color is None or seg.text[x - col] == " ":
                return None
            r, g, b = color.get_truecolor()
            return (r, g, b)
        col += len(seg.text)
    return None


async def test_what_is_drawn_is_the_live_weight_matrix_while_training():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        diagram = screen.query_one(NetworkDiagram)
        assert_diagram_is_the_live_weights(diagram, screen.sim.weights)
        before = [b.copy() for b in diagram.buckets]
        await pilot.press("space")
        for _ in range(60):
            screen._tick()  # the play timer's work, without waiting for time
        await pilot.press("space")
        await pilot.pause()
        assert screen.sim.epoch >= 10
        assert_diagram_is_the_live_weights(diagram, screen.sim.weights)
        assert any(not np.array_equal(a, b) for a, b in zip(before, diagram.buckets))  # edges changed
        screen.advance(100)
        await pilot.pause()
        assert_diagram_is_the_live_weights(diagram, screen.sim.weights)
        # and on screen: each hidden → output edge is drawn in its bucket's colour at its midpoint
        for j in range(3):
            (xa, ya), (xb, yb) = diagram.node_position(1, j), diagram.node_position(2, 0)
            x, y = (xa + xb) // 2, round((ya + yb) / 2)
            expected = edge_color(int(diagram.buckets[1][j, 0]))
            seen = {colour_at(diagram, x, yy) for yy in (y - 1, y, y + 1) if 0 <= yy < diagram.size.height}
            assert expected in seen


async def test_arrows_select_a_neuron_and_its_own_map_is_shown():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(20)
        diagram = screen.query_one(NetworkDiagram)
        canvas = screen.query_one(PixelCanvas)
        assert screen.selected == (2, 0) and diagram.selected == (2, 0)
        await pilot.press("left", "down")
        await pilot.pause()
        layer, index = screen.selected
        assert layer == 1 and diagram.selected == screen.selected
        canvas.flush()
        w, h = canvas.pixel_size
        values = screen.sim.neuron_map(layer, index, w, h, canvas.extent)
        lo, hi = screen.sim.neuron_range(layer, values)
        levels = len(canvas._palette)
        expected = np.clip(((values - lo) * (levels / (hi - lo))).astype(int), 0, levels - 1)
        assert np.mean(canvas._heat == expected) > 0.99
        W = screen.sim.weights[0][:, index]
        formula = str(screen.query_one("#net-formula").content)
        assert f"{W[0]:+.2f}·x₁" in formula and f"{W[1]:+.2f}·x₂" in formula and formula.startswith(f"h{'₁₂₃'[index]} = tanh(")
        await pilot.press("left")
        assert screen.selected[0] == 0
        await pilot.press("left", "up", "up", "up")
        assert screen.selected == (0, 0)  # clamped at the edges
        await pilot.press("o")
        assert screen.selected == (2, 0)


async def test_clicking_a_neuron_selects_it():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        diagram = screen.query_one(NetworkDiagram)
        x, y = diagram.node_position(1, 2)
        await pilot.click(NetworkDiagram, offset=(x, y))
        await pilot.pause()
        assert screen.selected == (1, 2) and diagram.selected == (1, 2)


async def test_fewer_hidden_neurons_redraw_the_graph_and_keep_a_valid_selection():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("left", "down", "down")
        assert screen.selected == (1, 2)
        screen.set_param("hidden", 1)
        await pilot.pause()
        diagram = screen.query_one(NetworkDiagram)
        assert diagram._sizes == (2, 1, 1) and screen.selected == (1, 0)
        assert_diagram_is_the_live_weights(diagram, screen.sim.weights)


async def test_command_line_options_and_small_terminal():
    app = app_for(dataset="xor", hidden=4, activation="relu")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sim = app.screen.sim
        assert (sim.dataset, sim.hidden, sim.activation) == ("xor", 4, "relu")
        await pilot.press("n", "left")
        await pilot.pause()
        assert app.screen.query_one(NetworkDiagram).size.width > 20
