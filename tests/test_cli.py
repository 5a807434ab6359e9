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
        (["vectors"], "planned"),
        (["shot", "spiral", "-o", "x.svg"], "--steps"),
        (["shot", "spiral", "--steps", "3", "--size", "big", "-o", "x.svg"], "160x50"),
        (["shot", "spiral", "--steps", "3", "--size", "5x5", "-o", "x.svg"], "between"),
        (["shot", "nope", "--steps", "3", "-o", "x.svg"], "unknown topic"),
        (["shot", "spiral", "--steps", "3", "-o", "/no/such/dir/x.svg"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, words):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "args, words",
    [(["spirl"], "did you mean: spiral"), (["--bogus"], "unrecognized arguments"), (["vectors"], "planned")],
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
