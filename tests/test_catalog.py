"""Tests of the topic catalog against TOPICS.md, the one document that fixes the topic ids."""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui import catalog
from tui.catalog import (
    CHAPTERS,
    TOPICS,
    Chapter,
    Topic,
    UnknownTopic,
    get_topic,
    load_screen,
    ready_topics,
    search,
    topics_in,
)

TOPICS_MD = Path(__file__).resolve().parents[2] / "shared" / "TOPICS.md"
REPO = Path(__file__).resolve().parents[1]


def _parse_topics_md() -> tuple[list[tuple[int, str]], list[tuple[str, int]]]:
    """(chapters as (number, title), topics as (id, chapter)) read from TOPICS.md."""
    if not TOPICS_MD.is_file():
        pytest.skip(f"{TOPICS_MD} is absent: cannot compare the catalog with the topic list")
    chapters: list[tuple[int, str]] = []
    topics: list[tuple[str, int]] = []
    for line in TOPICS_MD.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^## Chapter (\d+)\s+—\s+(.+?)\s*$", line):
            chapters.append((int(m[1]), m[2]))
        elif m := re.match(r"^\*\*([a-z0-9-]+)\*\*", line):
            assert chapters, f"topic {m[1]} appears before any chapter heading"
            topics.append((m[1], chapters[-1][0]))
    return chapters, topics


# --- the data --------------------------------------------------------------------------------


def test_ids_equal_topics_md_in_order() -> None:
    _, md_topics = _parse_topics_md()
    assert [t.id for t in TOPICS] == [tid for tid, _ in md_topics]


def test_there_are_48_topics_with_unique_ids() -> None:
    assert len(TOPICS) == 48
    counts = collections.Counter(t.id for t in TOPICS)
    assert [tid for tid, n in counts.items() if n > 1] == []


def test_chapters_match_topics_md() -> None:
    md_chapters, md_topics = _parse_topics_md()
    assert [(c.number, c.title) for c in CHAPTERS] == md_chapters
    assert [(t.id, t.chapter) for t in TOPICS] == md_topics


def test_chapters_are_numbered_one_to_nine_and_none_is_empty() -> None:
    assert [c.number for c in CHAPTERS] == list(range(1, 10))
    for chapter in CHAPTERS:
        assert topics_in(chapter.number), f"chapter {chapter.number} has no topics"


def test_topics_in_partitions_the_catalog_in_order() -> None:
    joined = [t for c in CHAPTERS for t in topics_in(c.number)]
    assert joined == list(TOPICS)
    assert all(t.chapter == 6 for t in topics_in(6))


@pytest.mark.parametrize("bad", [0, 10, -1])
def test_topics_in_rejects_missing_chapter(bad: int) -> None:
    with pytest.raises(ValueError, match="no chapter"):
        topics_in(bad)


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_title_and_summary_are_short_single_lines(topic: Topic) -> None:
    for text, limit in ((topic.title, 32), (topic.summary, 70)):
        assert text == text.strip() and text, f"{topic.id}: empty or padded text {text!r}"
        assert "\n" not in text and "\r" not in text
        assert len(text) <= limit, f"{topic.id}: {text!r} is {len(text)} chars (max {limit})"
        assert text.isprintable()


def test_ready_means_a_screen_and_planned_means_none() -> None:
    assert get_topic("spiral").screen == "screens.spiral:SpiralScreen"
    assert get_topic("spiral").status == "ready"
    for topic in TOPICS:
        if topic.status == "ready":
            assert topic.screen and topic.screen.startswith("screens."), topic.id
        else:
            assert topic.status == "planned" and topic.screen is None, topic.id
    assert [t.id for t in ready_topics()] == [t.id for t in TOPICS if t.status == "ready"]


def test_topic_is_frozen() -> None:
    with pytest.raises(AttributeError):
        get_topic("spiral").title = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        CHAPTERS[0].number = 5  # type: ignore[misc]
    assert Chapter(1, "Foundations") == CHAPTERS[0]


@pytest.mark.parametrize("screen", ["screens.x", "screens.x:", ":X", "a:b:C"])
def test_topic_rejects_malformed_screen_path(screen: str) -> None:
    with pytest.raises(ValueError, match="package.module:Class"):
        Topic("x", "X", "x", 1, screen=screen)


@pytest.mark.parametrize("bad_id", ["", "Spiral", " spiral", "two words"])
def test_topic_rejects_malformed_id(bad_id: str) -> None:
    with pytest.raises(ValueError, match="lower-case"):
        Topic(bad_id, "X", "x", 1)


# --- lookup ----------------------------------------------------------------------------------


def test_get_topic_returns_every_topic_by_id() -> None:
    for topic in TOPICS:
        assert get_topic(topic.id) is topic


@pytest.mark.parametrize("spelling", ["Gradient-Descent", " gradient-descent ", "gradient_descent"])
def test_get_topic_forgives_case_space_and_underscore(spelling: str) -> None:
    assert get_topic(spelling).id == "gradient-descent"


def test_unknown_topic_suggests_close_id() -> None:
    with pytest.raises(UnknownTopic) as info:
        get_topic("spirl")
    assert str(info.value) == "unknown topic 'spirl'; did you mean: spiral?"
    assert info.value.suggestions == ("spiral",)
    assert isinstance(info.value, ValueError)


def test_unknown_topic_suggests_ids_containing_a_fragment() -> None:
    with pytest.raises(UnknownTopic) as info:
        get_topic("regression")
    assert set(info.value.suggestions) == {"linear-regression", "logistic-regression"}
    assert all(s in str(info.value) for s in info.value.suggestions)


def test_unknown_topic_without_close_ids_points_to_list() -> None:
    with pytest.raises(UnknownTopic) as info:
        get_topic("zzzzzz")
    assert info.value.suggestions == ()
    assert "'zzzzzz'" in str(info.value) and "--list" in str(info.value)


def test_unknown_topic_suggestions_are_real_ids_and_at_most_three() -> None:
    ids = {t.id for t in TOPICS}
    for typo in ["nerual", "optimiser", "kmean", "alpha", "q", "attension", "ne"]:
        with pytest.raises(UnknownTopic) as info:
            get_topic(typo)
        assert len(info.value.suggestions) <= 3
        assert set(info.value.suggestions) <= ids


def test_get_topic_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        get_topic(3)  # type: ignore[arg-type]


@given(st.text(max_size=30))
def test_get_topic_either_finds_or_raises_unknown_topic(text: str) -> None:
    try:
        topic = get_topic(text)
    except UnknownTopic as err:
        assert set(err.suggestions) <= {t.id for t in TOPICS}
    else:
        assert topic.id == "-".join(text.strip().lower().replace("_", " ").split())


# --- load_screen -----------------------------------------------------------------------------


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.screen is None], ids=lambda t: t.id)
def test_load_screen_raises_for_planned_topics(topic: Topic) -> None:
    with pytest.raises(ValueError, match="planned"):
        load_screen(topic)
    with pytest.raises(ValueError, match="planned"):
        load_screen(topic.id)


def test_load_screen_raises_for_unknown_id() -> None:
    with pytest.raises(UnknownTopic):
        load_screen("spirl")


def test_load_screen_imports_module_and_class_lazily() -> None:
    topic = Topic("fake", "Fake", "A stand-in", 1, screen="collections:OrderedDict")
    assert load_screen(topic) is collections.OrderedDict


@pytest.mark.parametrize(
    "screen, error",
    [("collections:NoSuchClass", ImportError), ("collections:namedtuple", ImportError),
     ("no_such_module_xyz:Screen", ModuleNotFoundError)],
)
def test_load_screen_reports_a_broken_path(screen: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        load_screen(Topic("fake", "Fake", "broken", 1, screen=screen))


def test_importing_catalog_imports_no_screen_or_ui_library() -> None:
    code = (
        "import sys, tui.catalog\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich', 'numpy', 'screens', 'plotext')]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


# --- search ----------------------------------------------------------------------------------


def _haystack(topic: Topic) -> str:
    return f"{topic.id} {topic.id.replace('-', '')} {topic.title} {topic.summary}".lower()


def test_search_empty_query_returns_everything_in_order() -> None:
    assert search("") == list(TOPICS)
    assert search("   ") == list(TOPICS)


@pytest.mark.parametrize("query", ["spiral", "SPIRAL", "Spiral"])
def test_search_exact_id_comes_first(query: str) -> None:
    assert search(query)[0].id == "spiral"


def test_search_exact_id_beats_longer_ids_that_contain_it() -> None:
    # "gan" is also inside "disentanglement"; "network" is also in many titles and summaries.
    assert search("gan")[0].id == "gan"
    assert search("network")[0].id == "network"


@pytest.mark.parametrize(
    "query",
    ["tree", "neuron", "learn", "network", "loss", "tree search", "line", "grid world", "q", "x"],
)
def test_search_finds_exactly_the_topics_containing_every_word(query: str) -> None:
    words = query.lower().split()
    expected = {t.id for t in TOPICS if all(w in _haystack(t) for w in words)}
    found = [t.id for t in search(query)]
    assert len(found) == len(set(found))
    assert set(found) == expected


@pytest.mark.parametrize("term", ["tree", "neuron", "learn", "network", "search", "loss"])
def test_search_ranks_id_then_title_then_summary(term: str) -> None:
    def place(t: Topic) -> int:
        if term in t.id:
            return 0
        if term in t.title.lower():
            return 1
        return 2

    places = [place(t) for t in search(term)]
    assert places == sorted(places), f"{term!r}: {[t.id for t in search(term)]}"


def test_search_matches_summary_and_ignores_hyphen_in_query() -> None:
    assert [t.id for t in search("ravine")] == ["optimizers"]
    assert search("k-means")[0].id == "kmeans"
    assert search("gradient descent")[0].id == "gradient-descent"


def test_search_with_no_match_is_empty() -> None:
    assert search("quantum chromodynamics") == []


@given(st.text(max_size=40))
def test_search_never_fails_and_returns_catalog_topics(query: str) -> None:
    results = search(query)
    assert all(t in TOPICS for t in results)
    assert len({t.id for t in results}) == len(results)


def test_module_exposes_the_documented_api() -> None:
    names = {"Chapter", "Topic", "CHAPTERS", "TOPICS", "UnknownTopic", "get_topic", "topics_in",
             "ready_topics", "load_screen", "search"}
    assert names <= set(dir(catalog))
