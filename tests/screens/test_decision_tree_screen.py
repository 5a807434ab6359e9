"""The decision-tree screen: splits, undo, grow, knobs by key, drawing = tree."""

from __future__ import annotations

import numpy as np

from algorithms.trees import question
from screens.decision_tree import SHADES
from tui.app import LearnLoopApp
from tui.widgets.line_plot import LinePlot
from tui.widgets.pixel_canvas import PixelCanvas
from tui.widgets.tree_diagram import TreeDiagram


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("decision-tree", seed=0, autoplay=False, **kw)


async def test_n_splits_b_undoes_and_the_tree_view_asks_the_same_questions():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert sim.splits == 3
        root = screen.query_one(TreeDiagram).root
        assert root.label == question(sim.root.split, ("x₁", "x₂"))
        shown = [n for n, _ in root.walk()]
        assert len(shown) == len(sim.nodes) == 7
        active = [n for n in shown if n.style == "active"]
        assert len(active) == 1 and active[0].label == question(sim.last.split, ("x₁", "x₂"))
        card = str(screen.query_one("#tree-card").render())
        assert f"{sim.last.split.gain:.3f}" in card and "gini" in card
        await pilot.press("b")
        await pilot.pause()
        assert sim.splits == 2
        assert len(list(screen.query_one(TreeDiagram).root.walk())) == 5


async def test_grow_all_ends_pure_and_the_boxes_are_the_trees_predictions():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        sim = screen.sim
        assert sim.done and sim.stop_reason == "every leaf is pure"
        assert "every leaf is pure" in str(screen.query_one("#tree-card").render())
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        w, h = canvas.pixel_size
        xs, ys = canvas.pixel_centers()
        pts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        classes = sim.predict(pts).reshape(h, w)
        assert np.array_equal(canvas._heat // SHADES, classes)
        # and the gain plot shows the thresholds of the last split
        plot = screen.query_one(LinePlot)
        plot.flush()  # builds are throttled; the last data handed over may not be built yet
        t, g = sim.last.candidates[sim.last.split.feature]
        assert np.allclose(plot.plotted("x₁" if sim.last.split.feature == 0 else "x₂")[1].max(), g.max())
        await pilot.press("n")  # nothing left: stays done, no crash
        assert sim.done


async def test_keys_switch_criterion_and_depth():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "n")
        await pilot.press("i")
        await pilot.pause()
        assert screen.sim.criterion == "entropy" and screen.sim.splits == 0
        assert screen.param_panel.value("criterion") == "entropy"
        await pilot.press("a")
        depth = screen.sim.depth
        await pilot.press("D")
        await pilot.pause()
        assert screen.sim.max_depth == 5 and screen.sim.depth <= 5
        for _ in range(10):
            await pilot.press("D")
        assert screen.sim.max_depth == 1
        assert any("1 to 12" in n.message for n in app._notifications)
        await pilot.press("d", "d")
        assert screen.sim.max_depth == 3 and depth >= 1


async def test_depth_limit_one_stops_with_the_limit():
    app = app_for(options={"max_depth": 1, "data": "checker"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        assert screen.sim.splits == 1 and screen.sim.stop_reason == "the depth limit is reached"
