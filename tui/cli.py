"""The command line: ``learnloop [TOPIC] [options]``, ``learnloop --list`` and ``learnloop shot``."""

from __future__ import annotations

import os

# One BLAS thread: the same speed for our small matrices, a third of the CPU. Set before NumPy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from tui import catalog  # noqa: E402

EXIT_USAGE = 2


class UsageError(Exception):
    """A bad topic, flag or value: printed as a message, exit status 2."""


def _theme_names() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def _check_theme(theme: str | None) -> None:
    if theme is not None and theme not in _theme_names():
        raise UsageError(f"unknown theme '{theme}'; choose one of: {', '.join(_theme_names())}")


def _check_topic(topic_id: str, must_be_ready: bool = True) -> catalog.Topic:
    try:
        topic = catalog.get_topic(topic_id)
    except catalog.UnknownTopic as error:
        raise UsageError(str(error)) from None
    if must_be_ready and topic.status != "ready":
        raise UsageError(f"topic '{topic.id}' is planned and not built yet; `learnloop --list` shows what is ready")
    return topic


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 160x50, not '{text}'") from None
    if not (20 <= w <= 500 and 8 <= h <= 200):
        raise argparse.ArgumentTypeError("size must be between 20x8 and 500x200")
    return w, h


def _nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit status 2 with a clear message
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"learnloop: error: {message}\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=_nonnegative_int, default=None, help="random seed (default 0)")
    parser.add_argument("--theme", default=None, help="a Textual theme, e.g. nord, dracula, textual-light")
    parser.add_argument("--no-color", action="store_true", help="monochrome: classes told apart by glyphs")


def main_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="learnloop",
        description="An interactive field guide to how machines learn, in the terminal.",
        epilog="Every knob of a topic is also an option: `learnloop spiral --lr 0.03 --optimizer sgd` "
        "(`learnloop TOPIC --help` lists them). "
        "Also: learnloop shot TOPIC --steps N [--size WxH] -o FILE.svg [--KNOB VALUE …] (headless screenshot).",
    )
    parser.add_argument("topic", nargs="?", help="open this topic directly (see --list)")
    parser.add_argument("--list", action="store_true", help="print ID<TAB>STATUS<TAB>TITLE for every topic")
    parser.add_argument("--paused", action="store_true", help="open the topic paused")
    _common(parser)
    return parser


def shot_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="learnloop shot", description="Run a topic headless for N steps and save an SVG.")
    parser.add_argument("topic")
    parser.add_argument("--steps", type=_nonnegative_int, required=True, help="simulation steps to run first")
    parser.add_argument("--size", type=_size, default=(160, 50), help="terminal size WxH (default 160x50)")
    parser.add_argument("-o", "--output", required=True, help="the SVG file to write")
    _common(parser)
    return parser


def list_topics() -> str:
    return "\n".join(f"{t.id}\t{t.status}\t{t.title}" for t in catalog.TOPICS)


def knob_parser(topic: catalog.Topic, prog: str) -> tuple[argparse.ArgumentParser, dict]:
    """A parser of ``--KNOB VALUE`` options made from the topic screen's own knobs."""
    screen_class = catalog.load_screen(topic)
    probe = screen_class(seed=0, autoplay=False)
    parser = _Parser(prog=prog, add_help=False)
    group = parser.add_argument_group(f"knobs of '{topic.id}' (the same as on screen)")
    knobs = {}
    for param in probe.params():
        flag = "--" + param.name.replace("_", "-")
        group.add_argument(flag, dest=param.name, metavar="VALUE", default=None,
                           help=f"{param.label}: {param.range_text()} (default {param.display()})".replace("%", "%%"))
        knobs[param.name] = param
    return parser, knobs


def parse_knobs(topic: catalog.Topic, argv: list[str], prog: str) -> dict:
    """``--lr 0.03 --optimizer sgd`` -> {"lr": 0.03, "optimizer": "sgd"}, validated; UsageError if bad."""
    if not argv:
        return {}
    parser, knobs = knob_parser(topic, prog)
    namespace = parser.parse_args(argv)
    options = {}
    for name, text in vars(namespace).items():
        if text is not None:
            try:
                options[name] = knobs[name].parse(text)
            except ValueError as error:
                raise UsageError(str(error)) from None
    try:  # the simulation itself may refuse a combination
        catalog.load_screen(topic)(seed=0, autoplay=False, options=options)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return options


async def take_shot(
    topic_id: str,
    steps: int,
    size: tuple[int, int],
    seed: int | None,
    theme: str | None,
    options: dict | None = None,
) -> str:
    """Open ``topic_id`` headless, run ``steps`` steps, and return an SVG screenshot."""
    from tui.app import LearnLoopApp

    app = LearnLoopApp(topic_id, seed=seed, theme=theme, autoplay=False, options=options)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        if steps and hasattr(screen, "advance"):
            screen.advance(steps)
        if hasattr(screen, "prepare_shot"):
            screen.prepare_shot()
        await pilot.pause()
        await pilot.pause()
        return app.export_screenshot(title=f"learnloop {topic_id}")


def _apply_no_color(flag: bool) -> None:
    if flag:
        os.environ["NO_COLOR"] = "1"


def _wants_help(argv: list[str]) -> bool:
    return "-h" in argv or "--help" in argv


def run_shot(argv: list[str]) -> int:
    parser = shot_parser()
    args, extra = parser.parse_known_args(argv)
    topic = _check_topic(args.topic)
    _check_theme(args.theme)
    options = parse_knobs(topic, extra, f"learnloop shot {topic.id}")
    _apply_no_color(args.no_color)
    out = Path(args.output)
    if out.parent and not out.parent.exists():
        raise UsageError(f"folder '{out.parent}' does not exist")
    svg = asyncio.run(take_shot(topic.id, args.steps, args.size, args.seed, args.theme, options))
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out} ({args.size[0]}x{args.size[1]}, {args.steps} steps)")
    return 0


def run(argv: list[str]) -> int:
    if argv and argv[0] == "shot":
        return run_shot(argv[1:])
    parser = main_parser()
    probe = argparse.ArgumentParser(add_help=False)
    probe.add_argument("topic", nargs="?")
    topic_arg = probe.parse_known_args([a for a in argv if a not in ("-h", "--help")])[0].topic
    if topic_arg and not topic_arg.startswith("-") and _wants_help(argv):
        topic = _check_topic(topic_arg)
        knobs, _ = knob_parser(topic, f"learnloop {topic.id}")
        parser.print_help()
        print()
        knobs.print_help()
        return 0
    args, extra = parser.parse_known_args(argv)
    if args.list:
        print(list_topics())
        return 0
    known_ids = {t.id for t in catalog.TOPICS}
    if extra and (not args.topic or (args.topic not in known_ids and extra[0].startswith("-"))):
        stray = " ".join(a for a in extra if a.startswith("-")) or " ".join(extra)
        parser.error(f"unrecognized arguments: {stray} (a topic's knobs go after its name: "
                     f"learnloop TOPIC --KNOB VALUE)")
    topic = _check_topic(args.topic) if args.topic else None
    _check_theme(args.theme)
    options = parse_knobs(topic, extra, f"learnloop {topic.id}") if topic else {}
    _apply_no_color(args.no_color)
    from tui.app import LearnLoopApp

    app = LearnLoopApp(
        topic.id if topic else None, seed=args.seed, theme=args.theme,
        autoplay=False if args.paused else None, options=options,
    )
    app.run()
    return 0


def main(argv: list[str] | None = None) -> None:
    try:
        code = run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()
    except UsageError as error:
        print(f"learnloop: error: {error}", file=sys.stderr)
        code = EXIT_USAGE
    except BrokenPipeError:  # e.g. `learnloop --list | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    main()
