"""The catalog screen: every topic by chapter; enter opens a ready one, ``/`` filters."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.content import Content
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import catalog


def topic_prompt(topic: catalog.Topic) -> Content:
    """One line per topic: status mark, id, title (the summary shows below for the highlighted one).

    Textual ``Content`` rather than a Rich ``Text``: the option list draws it without converting
    styles, which makes the catalog's first frame quicker."""
    ready = topic.status == "ready"
    parts: list[tuple[str, str]] = [
        ("● " if ready else "○ ", "bold green" if ready else "dim"),
        (f"{topic.id:<24}", "bold" if ready else ""),
        (topic.title, "" if ready else "dim"),
    ]
    if not ready:
        parts.append(("  · planned", "italic dim"))
    return Content.assemble(*parts)


class CatalogScreen(Screen):
    """All topics of TOPICS.md grouped by chapter."""

    DEFAULT_CSS = """
    CatalogScreen > #catalog-title { height: 1; background: $primary 30%; padding: 0 1; text-style: bold; }
    CatalogScreen > Input { display: none; }
    CatalogScreen > Input.-shown { display: block; }
    CatalogScreen > OptionList, CatalogScreen > OptionList:focus { height: 1fr; border: none; }
    CatalogScreen > #catalog-summary { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    CatalogScreen > #catalog-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]

    def compose(self) -> ComposeResult:
        ready = len(catalog.ready_topics())
        yield Static(
            f"learnloop — how machines learn, live · {ready} of {len(catalog.TOPICS)} topics ready",
            id="catalog-title",
        )
        yield Input(placeholder="filter topics (esc clears)", id="catalog-filter")
        yield OptionList(id="catalog-list")
        yield Static("", id="catalog-summary")
        yield Static(STATUS_HINT, id="catalog-status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_topics(catalog.TOPICS)
        self.query_one(OptionList).focus()

    def show_topics(self, topics) -> None:
        options: list[Option | None] = []
        wanted = {t.id for t in topics}
        for chapter in catalog.CHAPTERS:
            members = [t for t in catalog.topics_in(chapter.number) if t.id in wanted]
            if not members:
                continue
            if options:
                options.append(None)
            options.append(Option(Content.styled(f"Chapter {chapter.number} — {chapter.title}", "bold underline"),
                                  id=f"chapter-{chapter.number}", disabled=True))
            options.extend(Option(topic_prompt(t), id=t.id) for t in members)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        enabled = [i for i, o in enumerate(option_list.options) if not o.disabled]
        ready = [i for i in enabled if catalog.get_topic(option_list.options[i].id).status == "ready"]
        option_list.highlighted = (ready or enabled or [None])[0]
        self.query_one("#catalog-status", Static).update(
            STATUS_HINT if topics else "No topic matches the filter. esc clears it."
        )
        if not topics:
            self.query_one("#catalog-summary", Static).update("")

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        topic_id = event.option.id
        if topic_id and not topic_id.startswith("chapter-"):
            topic = catalog.get_topic(topic_id)
            status = "enter opens it" if topic.status == "ready" else "planned: not built yet"
            self.query_one("#catalog-summary", Static).update(f"{topic.summary}  ({status})")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_topic(event.option.id)

    def open_topic(self, topic_id: str) -> None:
        topic = catalog.get_topic(topic_id)
        if topic.status != "ready":
            self.notify(f"“{topic.title}” is planned and not built yet.", title=topic.id, timeout=3)
            return
        self.app.open_topic(topic.id)

    def action_filter(self) -> None:
        box = self.query_one("#catalog-filter", Input)
        box.add_class("-shown")
        box.focus()

    @on(Input.Changed, "#catalog-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.show_topics(catalog.search(event.value))

    @on(Input.Submitted, "#catalog-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#catalog-filter", Input)
        if box.value or box.has_class("-shown"):
            box.value = ""
            box.remove_class("-shown")
            self.show_topics(catalog.TOPICS)
            self.query_one(OptionList).focus()

    def action_help(self) -> None:
        from tui.help import HelpScreen

        self.app.push_screen(HelpScreen("learnloop", CATALOG_HELP, self.active_bindings))


STATUS_HINT = "enter opens a topic · / filters · ctrl+p jumps by name · ? help · q quits"

CATALOG_HELP = """\
# learnloop

An interactive field guide to how machines learn. Every topic is a live simulation: you step it,
play it, rewind it and poke at it from the keyboard.

* **enter** opens the highlighted topic; topics marked *planned* are not built yet.
* **/** filters the list by name or words; **esc** clears the filter.
* **ctrl+p** opens the command palette: type a topic's name to jump to it, or change the theme.

Inside a topic the same keys work everywhere: **space** plays and pauses, **n** takes one step,
**b** steps back where the topic keeps history, **r** resets, **R** resets with a new random seed,
**+**/**-** change the speed, **p** or **tab** moves to the knobs, **?** explains the topic, and
**esc** comes back here.
"""
