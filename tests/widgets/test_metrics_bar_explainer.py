"""MetricsBar and Explainer."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui.widgets.explainer import Explainer
from tui.widgets.metrics_bar import MetricsBar

PAGES = [("One", "first **page**"), ("Two", "second page"), ("Three", "third page")]


class KitApp(App):
    def compose(self) -> ComposeResult:
        yield MetricsBar()
        yield Explainer(PAGES)


async def test_metrics_bar_shows_state_and_every_number():
    app = KitApp()
    async with app.run_test(size=(100, 20)):
        bar = app.query_one(MetricsBar)
        bar.set_state("▶ 60/s")
        bar.set_metrics({"epoch": "12", "loss": "0.6931", "accuracy": "51.0%"})
        text = bar.render().plain
        assert text.startswith("▶ 60/s")
        for part in ("epoch 12", "loss 0.6931", "accuracy 51.0%"):
            assert part in text
        assert bar.metrics == {"epoch": "12", "loss": "0.6931", "accuracy": "51.0%"}


async def test_explainer_pages_turn_and_clamp():
    app = KitApp()
    async with app.run_test(size=(100, 20)) as pilot:
        story = app.query_one(Explainer)
        assert story.page == 0 and story.page_count == 3
        assert "One · 1/3" in str(story.border_title)
        story.turn(1)
        story.turn(5)
        await pilot.pause()
        assert story.page == 2 and "Three · 3/3" in str(story.border_title)
        story.turn(-10)
        assert story.page == 0
        story.set_pages([])
        assert story.page_count == 0 and story.page_title == ""
