"""The backprop screen: one key press per layer, edges scaled by |∂L/∂w| through the widget, the
blame row, the gradient table, the story following the phase, and the extra keys."""

from __future__ import annotations

import numpy as np
from rich.console import Console

from screens.backprop import TRAIN_BURST
from tui.app import LearnLoopApp
from tui.widgets.explainer import Explainer
from tui.widgets.network_diagram import NetworkDiagram, edge_buckets


def app_for(**options) -> LearnLoopApp:
    return LearnLoopApp("backprop", seed=0, autoplay=False, options=options)


def text_of(screen, selector: str, width: int = 200) -> str:
    """The plain text a Static shows (tables rendered at ``width``)."""
    console = Console(width=width, record=True, color_system=None)
    console.print(screen.query_one(selector).content)
    return console.export_text()


async def test_one_press_per_layer_and_the_edges_follow_the_gradients():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        diagram = screen.query_one(NetworkDiagram)
        story = screen.query_one(Explainer)
        n = sim.n_layers
        # forward: the values are written on the neurons, edges show the weights
        assert sim.phase_kind == "forward" and story.page == 0
        texts = [t for layer in diagram._labels for t in layer]
        for v in np.concatenate(sim.node_values):
            assert any(f"{v:+.2f}" in t for t in texts)
        assert [np.array_equal(a, b) for a, b in zip(diagram.buckets, edge_buckets(sim.model.weights))] == [True] * n
        assert "▶" in text_of(screen, "#bp-flow")
        await pilot.press("n")
        assert sim.phase_kind == "loss" and story.page == 1
        assert f"δŷ {sim.deltas[-1][0]:+.3f}" in text_of(screen, "#bp-flow")
        for k in range(1, n + 1):
            await pilot.press("n")
            await pilot.pause()
            assert sim.phase_kind == "backward" and sim.reached == n - k and story.page == 2
            expected = edge_buckets(sim.model.weights, sim.edge_values())
            for drawn, want, layer in zip(diagram.buckets, expected, range(n)):
                np.testing.assert_array_equal(drawn, want)
                if layer < n - k:  # not reached yet: all at the dimmest level
                    assert np.all(np.abs(drawn) <= 1)
            flow = text_of(screen, "#bp-flow")
            assert "◀" in flow
            table = text_of(screen, "#bp-table")
            for row in sim.rows():
                if row.backprop is not None:
                    assert f"{row.backprop:+.5f}" in table and f"{row.numeric:+.5f}" in table
        assert sim.complete and "still waiting" not in text_of(screen, "#bp-table")
        await pilot.press("n")
        assert sim.phase_kind == "update" and story.page == 3
        assert "after the update" in text_of(screen, "#bp-table")
        await pilot.press("n")
        assert sim.phase_kind == "forward" and sim.cycle == 1 and screen.steps_done == n + 3


async def test_the_table_shows_agreement_with_finite_differences():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*["n"] * (screen.sim.n_layers + 1))
        table = text_of(screen, "#bp-table")
        errors = [float(tok) for tok in table.split() if "e-" in tok]
        assert len(errors) == screen.sim.model.n_params and max(errors) < 1e-6


async def test_f_finishes_the_example_t_trains_and_b_undoes():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        await pilot.press("n", "n", "f")
        assert sim.phase == 0 and sim.cycle == 1
        loss = sim.mean_loss()
        await pilot.press("t")
        await pilot.pause()
        assert sim.cycle == 1 + TRAIN_BURST and sim.mean_loss() < loss
        await pilot.press("b")
        assert sim.cycle == 1 and sim.mean_loss() == loss


async def test_knobs_and_command_line_shape():
    app = app_for(shape="2-3-1", activation="sigmoid", loss="mse")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        assert (sim.sizes, sim.activation, sim.loss_name) == ((2, 3, 1), "sigmoid", "mse")
        diagram = screen.query_one(NetworkDiagram)
        assert diagram._sizes == (2, 3, 1)
        screen.set_param("shape", (2, 4, 3, 1))
        await pilot.pause()
        assert diagram._sizes == (2, 4, 3, 1) and sim.phase == 0
        await pilot.press(*["n"] * 5)
        assert sim.complete


async def test_story_pages_turn_with_keys():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        story = app.screen.query_one(Explainer)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert story.page == 4
        await pilot.press("pageup")
        assert story.page == 3
