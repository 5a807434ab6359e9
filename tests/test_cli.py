"""The command line: --list, opening topics, shot, and clear errors with exit status 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui import catalog
from tui.cli import list_topics, main, main_parser

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def test_list_is_one_tab_separated_line_per_topic_in_catalog_order():
    result = run_cli("--list")
    assert result.returncode == 0
    lines = result.stdout.strip().split("\n")
    assert len(lines) == len(catalog.TOPICS)
    for line, topic in zip(lines, catalog.TOPICS):
        topic_id, status, title = line.split("\t")
        assert (topic_id, status, title) == (topic.id, topic.status, topic.title)
        assert status in ("ready", "planned")
    assert "spiral\tready\t" in result.stdout


def test_list_in_process_matches():
    assert list_topics().count("\n") == len(catalog.TOPICS) - 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["spirl"], "did you mean: spiral"),
        (["--bogus"], "unrecognized arguments"),
        (["spiral", "--seed", "minus"], "not a whole number"),
        (["spiral", "--seed", "-4"], "0 or more"),
        (["spiral", "--theme", "no-such-theme"], "unknown theme"),
        (["rlhf"], "planned"),
        (["shot", "spiral", "-o", "x.svg"], "--steps"),
        (["shot", "spiral", "--steps", "3", "--size", "big", "-o", "x.svg"], "160x50"),
        (["shot", "spiral", "--steps", "3", "--size", "5x5", "-o", "x.svg"], "between"),
        (["shot", "nope", "--steps", "3", "-o", "x.svg"], "unknown topic"),
        (["shot", "spiral", "--steps", "3", "-o", "/no/such/dir/x.svg"], "does not exist"),
        (["spiral", "--lr", "abc"], "not a number"),
        (["spiral", "--lr", "1e9"], "between"),
        (["spiral", "--optimizer", "lbfgs"], "choose one of"),
        (["spiral", "--no-such-knob", "3"], "unrecognized"),
        (["--lr", "0.1"], "unrecognized"),
        (["shot", "spiral", "--steps", "3", "-o", "x.svg", "--batch-size", "7"], "choose one of"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, words",
    [(["spirl"], "did you mean: spiral"), (["--bogus"], "unrecognized arguments"), (["rlhf"], "planned")],
)
def test_bad_input_message_in_a_real_process(args, words):
    result = run_cli(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_parser_accepts_the_documented_flags():
    args = main_parser().parse_args(["spiral", "--seed", "7", "--theme", "nord", "--no-color"])
    assert (args.topic, args.seed, args.theme, args.no_color) == ("spiral", 7, "nord", True)


def test_shot_writes_an_svg_of_the_trained_screen(tmp_path):
    out = tmp_path / "spiral.svg"
    result = run_cli("shot", "spiral", "--steps", "5", "--size", "100x30", "-o", str(out), "--seed", "3")
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert svg.startswith("<svg") and "</svg>" in svg
    # the epoch counter shows the steps that were run (text split over elements; &#160; for spaces)
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ")
    assert "epoch 5 " in text


def test_bad_knob_value_message_in_a_real_process():
    result = run_cli("spiral", "--lr", "fast")
    assert result.returncode == 2
    assert "learning rate: 'fast' is not a number" in result.stderr


def test_topic_help_lists_its_knobs():
    result = run_cli("spiral", "--help")
    assert result.returncode == 0
    for flag in ("--lr", "--optimizer", "--batch-size", "--noise", "--activation"):
        assert flag in result.stdout


def test_shot_takes_knobs(tmp_path):
    out = tmp_path / "sgd.svg"
    result = run_cli("shot", "spiral", "--steps", "2", "--size", "100x30", "-o", str(out), "--optimizer", "sgd",
                     "--lr", "0.05")
    assert result.returncode == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", out.read_text()).replace("&#160;", " ")
    assert "sgd" in text and "0.05" in text


async def test_knob_options_reach_the_simulation_and_the_panel():
    from tui.app import LearnLoopApp
    from tui.widgets.param_panel import ParamPanel

    app = LearnLoopApp("spiral", autoplay=False, options={"optimizer": "momentum", "lr": 0.02, "batch_size": 32})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sim = app.screen.sim
        assert (sim.optimizer, sim.lr, sim.batch_size) == ("momentum", 0.02, 32)
        panel = app.screen.query_one(ParamPanel)
        assert panel.value("optimizer") == "momentum" and panel.value("batch_size") == 32
        await pilot.press("r")  # reset keeps them
        assert (app.screen.sim.optimizer, app.screen.sim.lr) == ("momentum", 0.02)


def test_list_into_a_closed_pipe_is_not_an_error():
    proc = subprocess.Popen([sys.executable, "-m", "tui", "--list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT)
    proc.stdout.read(5)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in proc.stderr.read()
