"""The playground screen driven from the keyboard: inputs, layers, neurons, weights typed exactly,
data sets, CSV import/export, model export, views, stop conditions, and drawing = simulation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from algorithms.playground import (
    FEATURE_IDS,
    feature_matrix,
    load_model_json,
    parse_csv,
)
from screens.playground import TextPrompt
from tui.app import LearnLoopApp
from tui.cli import main
from tui.widgets.grid_view import GridView
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

ROOT = Path(__file__).resolve().parents[2]
WIDE = (140, 36)  # the smallest "wide" layout: every panel shown
NARROW = (80, 24)


def app_for(**options) -> LearnLoopApp:
    return LearnLoopApp("playground", seed=0, autoplay=False, options=options)


async def type_into_prompt(pilot, text: str) -> None:
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt)
    from textual.widgets import Input

    prompt.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_number_keys_toggle_inputs_and_the_knob_follows():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press("3", "4", "6")
        assert screen.sim.features == ("x1", "x2", "x1sq", "x2sq", "sinx1")
        assert screen.sim.sizes[0] == 5
        assert screen.param_panel.value("features") == screen.sim.features
        await pilot.press("1", "2", "3", "4")
        assert screen.sim.features == ("sinx1",)
        await pilot.press("6")  # the last input cannot go: a message, nothing changes
        await pilot.pause()
        assert screen.sim.features == ("sinx1",)
        await pilot.press("r")  # reset keeps the inputs
        assert pilot.app.screen.sim.features == ("sinx1",)


async def test_layer_and_neuron_keys_shape_the_network():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.sim.hidden == (4, 2)
        await pilot.press("a")
        assert screen.sim.hidden == (4, 2, 2)
        await pilot.press("greater_than_sign", "greater_than_sign")  # selection is on layer 1
        assert screen.sim.hidden == (6, 2, 2)
        await pilot.press("right_square_bracket", "less_than_sign")
        assert screen.sim.hidden == (6, 1, 2)
        await pilot.press("x", "x", "x")
        assert screen.sim.hidden == ()
        await pilot.press("x")  # nothing left to remove: refused politely
        await pilot.press("comma")
        await pilot.pause()
        assert screen.sim.hidden == ()
        assert screen.param_panel.value("layers") == ()
        for _ in range(7):
            await pilot.press("a")
        assert screen.sim.hidden == (4,) * 6
        net = screen.query_one(NetworkDiagram)
        screen.invalidate_panels()
        screen.refresh_view()
        assert len(net.buckets) == 7


async def test_typing_an_exact_weight_and_undoing_it():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press("right_square_bracket", "down")  # hidden 1 -> hidden 2: row 1, col 0
        assert screen.selection == (1, 1, 0)
        await pilot.press("w")
        await pilot.pause()
        await type_into_prompt(pilot, "abc")
        prompt = pilot.app.screen
        assert isinstance(prompt, TextPrompt) and "not a number" in prompt.error
        await type_into_prompt(pilot, "2000")
        assert "≤ 1000" in pilot.app.screen.error
        await type_into_prompt(pilot, "-1.75")
        assert pilot.app.screen is screen
        assert screen.sim.model.weights[1][1, 0] == np.float32(-1.75)
        grid = screen.query_one(GridView)
        assert grid.cursor == (2, 1)  # headings shift the table by one row and column
        assert "-1.75" in grid.border_subtitle
        # the bias row: down from the last weight row
        await pilot.press("up", "up", "w")  # up from row 1 wraps round to the bias row
        await pilot.pause()
        await type_into_prompt(pilot, "0.5")
        assert screen.sim.model.biases[1][0] == np.float32(0.5)
        await pilot.press("b", "b")
        assert screen.sim.model.weights[1][1, 0] != np.float32(-1.75)


async def test_weights_table_and_diagram_show_the_live_weights():
    async with app_for(layers=(3,)).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.advance(5)
        screen.invalidate_panels()
        screen.refresh_view()
        await pilot.pause()
        net = screen.query_one(NetworkDiagram)
        for bucket, W in zip(net.buckets, screen.sim.model.weights):
            assert np.array_equal(np.sign(bucket), np.sign(W))
        grid = screen.query_one(GridView)
        W, b = screen.sim.model.weights[0], screen.sim.model.biases[0]
        assert grid.grid_shape == (W.shape[0] + 2, W.shape[1] + 1)
        text = " ".join(grid.render_line(y).text for y in range(grid.size.height))
        for value in (*W.ravel(), *b):
            assert f"{value:+.2f}" in text


async def test_mouse_picks_a_weight_in_the_table():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        grid = screen.query_one(GridView)
        region = grid.cell_region(2, 3)  # row x₂, column h1.3
        await pilot.click(GridView, offset=(region.x, region.y))
        await pilot.pause()
        assert screen.selection == (0, 1, 2)


async def test_heat_map_is_the_models_answer():
    async with app_for(dataset="xor").run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.advance(40)
        await pilot.pause()
        canvas = screen.query_one("#pg-map", PixelCanvas)
        canvas.flush()
        w, h = canvas.pixel_size
        from algorithms.datasets import grid_points

        p = screen.sim.model.forward(feature_matrix(grid_points(w, h, canvas.extent), screen.sim.features))
        expected = np.clip((p[:, 0].reshape(h, w) * 64).astype(int), 0, 63)
        assert np.mean(canvas._heat == expected) > 0.99


async def test_neuron_tiles_are_each_neurons_output():
    async with app_for(layers=(4,)).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.advance(10)
        screen.invalidate_panels()
        screen.refresh_view()
        canvas = screen.query_one("#pg-neurons", PixelCanvas)
        mosaic = canvas._heat_source[0]
        from screens.playground import MAP_LEVELS, _tile_layout

        w, h = canvas.pixel_size
        cols, side = _tile_layout(4, w, h)
        maps, lo, hi = screen.sim.layer_maps(1, side, side)
        for u in range(4):
            r, c = divmod(u, cols)
            tile = mosaic[1 + r * (side + 1): 1 + r * (side + 1) + side, 1 + c * (side + 1): 1 + c * (side + 1) + side]
            expected = np.clip((maps[u] - lo) / (hi - lo) * MAP_LEVELS, 0, MAP_LEVELS - 1).astype(int)
            assert np.array_equal(tile.astype(int), expected)
        await pilot.press("right_square_bracket")  # the output layer now
        assert "output" in canvas.border_title


async def test_data_keys_switch_regenerate_and_hide_test_points():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press("d")
        assert screen.sim.dataset == "xor" and screen.param_panel.value("dataset") == "xor"
        first = screen.sim.X.copy()
        await pilot.press("g")
        assert not np.array_equal(first, screen.sim.X)
        canvas = screen.query_one("#pg-map", PixelCanvas)
        canvas.flush()
        labels = len(canvas._labels)
        await pilot.press("t")
        canvas.flush()
        assert not screen.show_test and len(canvas._labels) < labels - 50
        assert screen.param_panel.value("show_test") is False


async def test_import_export_and_malformed_csv(tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text("x1,x2,label\n0,0,0\n1,1,1\n-1,2,2\n2,-2,1\n3,3,0\n-3,-1,2\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0,0,0\n1,1\n")
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        before = screen.sim.X.copy()
        await pilot.press("i")
        await pilot.pause()
        await type_into_prompt(pilot, str(bad))
        assert "line 3" in pilot.app.screen.error
        np.testing.assert_array_equal(screen.sim.X, before)  # the current data stay
        await type_into_prompt(pilot, str(good))
        assert pilot.app.screen is screen
        assert screen.sim.dataset == "csv" and screen.sim.n_classes == 3 and len(screen.sim.X) == 6
        assert screen.param_panel.value("dataset") == str(good)
        await pilot.press("r")  # reset reloads the file
        assert pilot.app.screen.sim.dataset == "csv" and len(pilot.app.screen.sim.X) == 6
        screen = pilot.app.screen
        screen.advance(3)
        out = tmp_path / "out.csv"
        await pilot.press("e")
        await pilot.pause()
        await type_into_prompt(pilot, str(out))
        X, labels = parse_csv(out.read_text())
        np.testing.assert_array_equal(X, screen.sim.X)
        np.testing.assert_array_equal(labels, screen.sim.y)
        await pilot.press("e")
        await pilot.pause()
        await type_into_prompt(pilot, str(out))  # it exists: asks first
        assert "exists" in pilot.app.screen.error
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        model_path = tmp_path / "model.json"
        await pilot.press("m")
        await pilot.pause()
        await type_into_prompt(pilot, str(model_path))
        model = load_model_json(model_path.read_text())
        pts = np.random.default_rng(0).uniform(-4, 4, (100, 2))
        np.testing.assert_array_equal(model.predict(pts), screen.sim.model.forward(feature_matrix(pts, screen.sim.features)))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")  # cancel
        await pilot.pause()
        assert pilot.app.screen is screen


async def test_stop_at_an_epoch_pauses_playing():
    async with app_for(max_epochs=4).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.action_speed(20)  # max speed
        await pilot.press("space")
        for _ in range(3):
            screen._tick()
        await pilot.pause()
        assert screen.sim.epoch == 4 and not screen.playing
        await pilot.press("n")  # a step by hand goes on
        assert screen.sim.epoch == 5
        screen.advance(10)  # headless runs stop too
        assert screen.sim.epoch == 5


async def test_stop_at_a_target_loss():
    async with app_for(target_loss=0.3).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.advance(2000)
        assert screen.sim.train_loss <= 0.3 and screen.sim.epoch < 2000
        assert screen.sim.history[-2, 0] > 0.3  # it stopped at the first epoch that got there


async def test_narrow_terminal_shows_one_view_at_a_time():
    async with app_for().run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.narrow
        shown = []
        for _ in range(5):
            await pilot.pause()
            visible = [w for w in ("#pg-map", "#pg-net", "#pg-neurons", "#pg-weights", "#pg-loss")
                       if screen.query_one(w).display and screen.query_one(w).parent.display]
            shown.append(visible)
            await pilot.press("v")
        assert shown == [["#pg-map"], ["#pg-net"], ["#pg-neurons"], ["#pg-weights"], ["#pg-loss"]]
        assert screen.view == "map"
        # the knob list is longer than the panel: it scrolls to keep the chosen knob in view
        panel = screen.query_one(ParamPanel)
        await pilot.press("p")
        for _ in range(16):
            await pilot.press("down")
        assert panel.value(panel.params[panel.selected].name) == screen.show_test
        shown = [panel._rows.render_line(y).text for y in range(panel._rows.size.height)]
        assert any("test points" in line and "▸" in line for line in shown)
        assert panel.first_line > 0


async def test_wide_terminal_shows_every_view():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert not screen.narrow
        for w in ("#pg-map", "#pg-net", "#pg-neurons", "#pg-weights", "#pg-loss", "#pg-stats"):
            assert screen.query_one(w).display
        screen.advance(20)
        screen.invalidate_panels()
        screen.refresh_view()
        stats = str(screen.query_one("#pg-stats").render())
        m = screen.sim.confusion("test")
        assert f"{m[0, 0]:>6}" in stats and f"{screen.sim.test_accuracy:6.1%}" in stats


async def test_panel_knobs_reach_the_simulation():
    async with app_for().run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        panel = screen.param_panel
        panel.submit_text("layers", "8,8,8")
        panel.submit_text("batch_size", "3")
        panel.submit_text("target_loss", "off")
        panel.submit_text("reg_rate", "0.01")
        await pilot.pause()
        assert screen.sim.hidden == (8, 8, 8) and screen.sim.batch_size == 3 and screen.sim.reg_rate == 0.01
        assert not panel.submit_text("layers", "8,99")
        assert "1 to 32" in panel.error and screen.sim.hidden == (8, 8, 8)
        panel.submit_text("dataset", str(ROOT / "no-such-file.csv"))
        await pilot.pause()
        assert "cannot read" in panel.error and screen.sim.dataset == "circle"


def test_command_line_settings_and_a_shot(tmp_path):
    out = tmp_path / "pg.svg"
    result = subprocess.run(
        [sys.executable, "-m", "tui", "shot", "playground", "--dataset", "xor", "--layers", "4,4", "--activation",
         "tanh", "--lr", "0.03", "--seed", "1", "--steps", "12", "--size", "100x30", "-o", str(out)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", out.read_text()).replace("&#160;", " ")
    assert "epoch 12 " in text and "xor" in text and "4,4" in text and "tanh" in text and "0.03" in text


@pytest.mark.parametrize(
    "args, words",
    [
        (["playground", "--layers", "4,x"], "4,4"),
        (["playground", "--layers", "1,1,1,1,1,1,1"], "at most 6"),
        (["playground", "--activation", "swish"], "choose one of"),
        (["playground", "--dataset", "moons"], "unknown data set"),
        (["playground", "--features", "x1,x9"], "unknown feature"),
        (["playground", "--dropout", "2"], "between"),
    ],
)
def test_bad_command_line_values_exit_2(args, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err


def test_a_malformed_csv_on_the_command_line_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,oops,1\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["playground", "--dataset", str(bad)])
    assert exit_info.value.code == 2
    assert "line 3" in capsys.readouterr().err


async def test_command_line_options_reach_sim_and_panel():
    options = {"dataset": "spiral3", "layers": (8, 8), "features": ("x1", "x2", "sinx1"), "activation": "relu",
               "lr": 0.01, "optimizer": "adam", "batch_size": None, "regularization": "l2", "dropout": 0.1}
    async with app_for(**options).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        sim = screen.sim
        assert (sim.dataset, sim.hidden, sim.features, sim.activation, sim.lr, sim.optimizer, sim.batch_size,
                sim.regularization, sim.dropout) == ("spiral3", (8, 8), ("x1", "x2", "sinx1"), "relu", 0.01, "adam",
                                                     None, "l2", 0.1)
        for name, value in options.items():
            assert screen.param_panel.value(name) == value


async def test_every_dataset_draws_with_the_largest_network():
    async with app_for(layers=(32,) * 6, features=FEATURE_IDS).run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        seen = set()
        for _ in range(10):
            await pilot.press("d", "n")
            seen.add(screen.sim.dataset)
            assert screen.sim.epoch == 1 and screen.sim.sizes[1:-1] == (32,) * 6
        assert len(seen) == 10 and pilot.app.is_running
