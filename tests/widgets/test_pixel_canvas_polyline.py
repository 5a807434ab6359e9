"""PixelCanvas.add_polyline: the same pixels as add_line segment by segment, breaks at NaN, clipping."""

from __future__ import annotations

import numpy as np
import pytest
from textual.app import App, ComposeResult

from tui.widgets.pixel_canvas import PixelCanvas


class CanvasApp(App):
    def compose(self) -> ComposeResult:
        yield PixelCanvas(extent=(-1, 1, -1, 1), equal_aspect=False)


async def test_polyline_inks_the_same_pixels_as_add_line_per_segment():
    app = CanvasApp()
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.pause()
        canvas = app.query_one(PixelCanvas)
        rng = np.random.default_rng(0)
        for _ in range(5):
            xs, ys = rng.uniform(-0.99, 0.99, size=(2, 12))
            canvas.clear_ink()
            for i in range(len(xs) - 1):
                canvas.add_line(xs[i], ys[i], xs[i + 1], ys[i + 1], color=(255, 0, 0))
            expected = canvas._ink.copy()
            canvas.clear_ink()
            canvas.add_polyline(xs, ys, color=(255, 0, 0))
            np.testing.assert_array_equal(canvas._ink, expected)
            assert (expected >= 0).sum() > 20


async def test_nan_breaks_the_path_and_bad_input_is_refused():
    app = CanvasApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        canvas = app.query_one(PixelCanvas)
        canvas.add_polyline([-0.9, -0.1, np.nan, 0.1, 0.9], [0.0, 0.0, 0.0, 0.0, 0.0])
        _, row = canvas.data_to_pixel(0.0, 0.0)
        inked = np.flatnonzero(canvas._ink[row] >= 0)
        gap_lo, gap_hi = canvas.data_to_pixel(-0.1, 0)[0], canvas.data_to_pixel(0.1, 0)[0]
        assert not np.any((inked > gap_lo) & (inked < gap_hi))  # nothing drawn across the NaN
        assert inked.min() == canvas.data_to_pixel(-0.9, 0)[0] and inked.max() == canvas.data_to_pixel(0.9, 0)[0]
        with pytest.raises(ValueError, match="as many x as y"):
            canvas.add_polyline([0, 1], [0])
        canvas.add_polyline([0.5], [0.5])  # one point: nothing to draw, no error


async def test_far_away_points_are_clipped_not_bent():
    app = CanvasApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        canvas = app.query_one(PixelCanvas)
        # a diagonal through the origin, from very far away to very far away
        canvas.add_polyline([-1e12, 1e12], [-1e12, 1e12])
        w, h = canvas.pixel_size
        rows, cols = np.nonzero(canvas._ink >= 0)
        assert len(rows) >= min(w, h)
        xs = -1 + (cols + 0.5) * 2 / w
        ys = 1 - (rows + 0.5) * 2 / h
        assert np.max(np.abs(xs - ys)) < 2 * (2 / h)  # every inked pixel lies on y = x
        canvas.clear_ink()
        canvas.add_polyline([np.inf, 0.0], [0.0, 0.0])
        canvas.add_polyline([-1e300, 1e300], [5.0, 5.0])  # entirely above the canvas
        assert (canvas._ink < 0).all()


async def test_zero_size_canvas_draws_nothing():
    app = CanvasApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        canvas = app.query_one(PixelCanvas)
        canvas.styles.display = "none"
        await pilot.pause()
        canvas.add_polyline([0, 1], [0, 1])
