"""The shell: catalog screen, filter, planned topics, command palette, help, themes, monochrome."""

from __future__ import annotations

from textual.widgets import OptionList

from tui import catalog
from tui.app import LearnLoopApp, TopicCommands
from tui.catalog_screen import CatalogScreen
from tui.help import HelpScreen
from tui.simulation import SimulationScreen


def topic_options(app) -> list[str]:
    options = app.screen.query_one(OptionList).options
    return [o.id for o in options if o.id and not o.id.startswith("chapter-")]


async def test_catalog_lists_every_topic_by_chapter():
    app = LearnLoopApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        assert topic_options(app) == [t.id for t in catalog.TOPICS]
        headings = [o.id for o in app.screen.query_one(OptionList).options if o.id and o.id.startswith("chapter-")]
        assert headings == [f"chapter-{c.number}" for c in catalog.CHAPTERS]


async def test_filter_narrows_and_escape_clears():
    app = LearnLoopApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"spiral")
        await pilot.pause()
        assert topic_options(app) == [t.id for t in catalog.search("spiral")]
        assert "spiral" in topic_options(app) and len(topic_options(app)) < len(catalog.TOPICS)
        await pilot.press("escape")
        await pilot.pause()
        assert len(topic_options(app)) == len(catalog.TOPICS)
        await pilot.press("slash", *"zzzzqq")
        await pilot.pause()
        assert topic_options(app) == []


async def test_planned_topic_says_so_and_stays_on_catalog():
    app = LearnLoopApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        planned = next(t for t in catalog.TOPICS if t.status == "planned")
        app.screen.open_topic(planned.id)
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        assert any("planned" in n.message for n in app._notifications)


async def test_enter_opens_ready_topic_and_escape_returns():
    app = LearnLoopApp(autoplay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"spiral", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SimulationScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)


async def test_command_palette_provider_finds_ready_topics():
    app = LearnLoopApp(autoplay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        provider = TopicCommands(app.screen)
        hits = sorted([hit async for hit in provider.search("spirals")], key=lambda h: -h.score)
        assert hits and "(spiral)" in str(hits[0].text)
        app.call_later(hits[0].command)
        await pilot.pause()
        assert isinstance(app.screen, SimulationScreen) and app.screen.TOPIC_ID == "spiral"


async def test_help_from_catalog():
    app = LearnLoopApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)


async def test_theme_is_applied():
    app = LearnLoopApp(theme="nord")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "nord"


async def test_no_color_environment_gives_monochrome(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = LearnLoopApp("spiral", autoplay=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.no_color
        app.screen.advance(2)
        await pilot.pause()
        from tui.widgets.pixel_canvas import PixelCanvas

        canvas = app.screen.query_one(PixelCanvas)
        canvas.flush()
        text = "".join(canvas.row_text(y) for y in range(canvas.size.height))
        assert "▀" not in text  # no colour-only half blocks
        assert "o" in text or "x" in text  # class glyphs


async def test_q_quits():
    app = LearnLoopApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
