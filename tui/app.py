"""LearnLoopApp: the catalog as the first screen, topics pushed on top, palette jumps, themes."""

from __future__ import annotations

from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui import catalog, textual_fixes
from tui.catalog_screen import CatalogScreen

textual_fixes.apply()


class TopicCommands(Provider):
    """Command palette: jump to any ready topic by typing its name."""

    def _commands(self):
        for topic in catalog.ready_topics():
            yield topic, f"Open {topic.title} ({topic.id})"

    async def discover(self) -> Hits:
        for topic, label in self._commands():
            yield DiscoveryHit(label, partial(self.app.open_topic, topic.id), help=topic.summary)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for topic, label in self._commands():
            score = max(matcher.match(label), matcher.match(topic.summary) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.open_topic, topic.id),
                          help=topic.summary)


class LearnLoopApp(App):
    """An interactive field guide to how machines learn."""

    TITLE = "learnloop"
    COMMANDS = App.COMMANDS | {TopicCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        topic: str | None = None,
        *,
        seed: int | None = None,
        theme: str | None = None,
        autoplay: bool | None = None,
        options: dict | None = None,
    ) -> None:
        super().__init__()
        self.start_topic = topic
        self.start_options = dict(options or {})
        self.seed = seed
        self.autoplay = autoplay
        if theme is not None:
            self.theme = theme

    def on_mount(self) -> None:
        if self.start_topic:  # the catalog is built only when the user goes back to it (start-up)
            self.open_topic(self.start_topic, self.start_options)
        else:
            self.push_screen(CatalogScreen())

    def back_to_catalog(self) -> None:
        """Leave the current topic for the catalog (made now if the app started in a topic)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.switch_screen(CatalogScreen())

    def open_topic(self, topic_id: str, options: dict | None = None) -> None:
        """Push the screen of a ready topic (the catalog stays below: escape returns to it).

        ``options`` sets knobs by name (from the command line)."""
        topic = catalog.get_topic(topic_id)
        if topic.status != "ready":
            self.notify(f"“{topic.title}” is planned and not built yet.", timeout=3)
            return
        screen_class = catalog.load_screen(topic)
        self.push_screen(screen_class(seed=self.seed, autoplay=self.autoplay, options=options))
