"""The kmeans screen: assign and move as separate phases, K and start keys, drawing = state."""

from __future__ import annotations

import numpy as np

from screens.kmeans import CENTRE
from tui.app import LearnLoopApp
from tui.widgets.bar_chart import BarChart
from tui.widgets.line_plot import LinePlot
from tui.widgets.pixel_canvas import PixelCanvas


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("kmeans", seed=0, autoplay=False, **kw)


def glyph_classes(canvas: PixelCanvas) -> dict[tuple[int, int], str]:
    return {cell: g.char for cell, g in canvas._points_glyphs.items()}


async def test_phases_alternate_and_the_screen_says_which():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        canvas = screen.query_one(PixelCanvas)
        assert "START" in canvas.row_text(0) and not canvas._points_glyphs  # nobody belongs yet
        await pilot.press("n")
        await pilot.pause()
        canvas.flush()
        assert "ASSIGN" in canvas.row_text(0) and sim.last_phase == "assign"
        # every point is drawn with its cluster's glyph
        for (x, y), label in zip(sim.X, sim.labels):
            col, row = canvas.data_to_cell(x, y)
            glyph = canvas._points_glyphs.get((row, col))
            if glyph is not None and (row, col) not in canvas._labels:
                # several points may share a cell: the glyph belongs to one of them
                same = [lab for (px, py), lab in zip(sim.X, sim.labels) if canvas.data_to_cell(px, py) == (col, row)]
                assert glyph.char in {"●▲■◆✚★▼✖"[k] for k in same}
        await pilot.press("n")
        await pilot.pause()
        canvas.flush()
        assert "MOVE" in canvas.row_text(0) and sim.last_phase == "move"
        # the centres are drawn where the simulation has them
        for x, y in sim.centroids:
            col, row = canvas.data_to_cell(x, y)
            assert canvas._labels[(row, col)].char == CENTRE
        assert "next: assign" in str(screen.query_one("#km-card").render())


async def test_run_to_end_converges_and_inertia_plot_never_rises():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        sim = screen.sim
        assert sim.converged and "converged" in str(screen.query_one("#km-card").render())
        plot = screen.query_one(LinePlot)
        plot.flush()
        ys = plot.plotted("inertia")[1]
        assert len(ys) >= 2 and np.all(np.diff(ys) <= 1e-12)
        bars = screen.query_one(BarChart)
        assert bars is not None and sim.sizes.sum() == len(sim.X)
        # the shading is the region of the nearest centre
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        w, h = canvas.pixel_size
        xs, ys = canvas.pixel_centers()
        pts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        d = ((pts[:, None, :] - sim.centroids[None]) ** 2).sum(-1)
        assert np.mean(canvas._heat == d.argmin(1).reshape(h, w)) > 0.99  # ties on region edges only
        steps = sim.t
        await pilot.press("n")
        assert sim.t == steps and not screen.playing
        await pilot.press("b", "b")
        assert sim.t == steps - 2 and not sim.converged


async def test_k_keys_init_key_and_new_start():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("k")
        assert screen.sim.k == 4 and len(screen.sim.centroids) == 4
        assert screen.param_panel.value("k") == 4
        await pilot.press("K", "K", "K", "K")
        assert screen.sim.k == 1
        assert any("K goes from 1 to 8" in n.message for n in app._notifications)
        await pilot.press("k", "k")
        first = screen.sim.centroids.copy()
        await pilot.press("s")
        assert not np.array_equal(first, screen.sim.centroids) and screen.sim.draw == 1
        await pilot.press("i")
        assert screen.sim.init == "random"
        await pilot.press("n", "n", "n")
        await pilot.press("r")
        assert screen.sim.t == 0 and screen.sim.k == 3 and screen.sim.init == "random"
