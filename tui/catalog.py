"""The topic catalog: chapters, topics and the lazy registry of topic screens.

This module is the one source of truth for ``learnloop --list``, the catalog screen and the tests
that visit every topic. It imports only the standard library and never imports a screen module
until :func:`load_screen` is called, so start-up stays fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Literal

Status = Literal["ready", "planned"]


@dataclass(frozen=True)
class Chapter:
    """A chapter of the field guide."""

    number: int
    title: str


@dataclass(frozen=True)
class Topic:
    """One topic: a simulation screen, built (``screen`` set) or still planned (``screen=None``).

    ``screen`` is a lazy import path of the form ``"package.module:ClassName"``.
    """

    id: str
    title: str
    summary: str
    chapter: int
    screen: str | None = None

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip().lower() or " " in self.id:
            raise ValueError(f"topic id {self.id!r} must be lower-case with no spaces")
        if self.screen is not None:
            module, sep, cls = self.screen.partition(":")
            if not sep or not module.strip() or not cls.strip() or ":" in cls:
                raise ValueError(
                    f"topic {self.id!r}: screen {self.screen!r} "
                    "must look like 'package.module:Class'"
                )

    @property
    def status(self) -> Status:
        """``"ready"`` once the topic has a screen, ``"planned"`` before."""
        return "planned" if self.screen is None else "ready"


class UnknownTopic(ValueError):
    """Raised for a topic id that is not in the catalog; the message suggests close ids."""

    def __init__(self, topic_id: str, suggestions: tuple[str, ...] = ()) -> None:
        self.topic_id = topic_id
        self.suggestions = suggestions
        if suggestions:
            hint = "did you mean: " + ", ".join(suggestions) + "?"
        else:
            hint = "run `learnloop --list` to see every topic"
        super().__init__(f"unknown topic {topic_id!r}; {hint}")


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "Foundations"),
    Chapter(2, "Learning from data"),
    Chapter(3, "Language"),
    Chapter(4, "Vision and generation"),
    Chapter(5, "Reinforcement learning"),
    Chapter(6, "Search and games"),
    Chapter(7, "Alignment and reasoning"),
    Chapter(8, "Hardware and the future"),
    Chapter(9, "Build it yourself"),
)

# fmt: off
TOPICS: tuple[Topic, ...] = (
    # Chapter 1: Foundations
    Topic("vectors", "Vectors and matrices",
          "Move a vector and watch a 2x2 matrix warp the whole plane", 1,
          screen="screens.vectors:VectorsScreen"),
    Topic("loss-formula", "The one formula behind learning",
          "Take apart the average loss Q and watch it shrink epoch by epoch", 1,
          screen="screens.loss_formula:LossFormulaScreen"),
    # Chapter 2: Learning from data
    Topic("perceptron", "Apples, lemons and one neuron",
          "A single neuron learns a straight line between two kinds of fruit", 2,
          screen="screens.perceptron:PerceptronScreen"),
    Topic("feedback", "Labels versus feedback",
          "Learn a separator from labels, from your ratings, or from a score", 2,
          screen="screens.feedback:FeedbackScreen"),
    Topic("layers", "When one line is not enough",
          "Add hidden neurons until their lines close around a ring of points", 2,
          screen="screens.layers:LayersScreen"),
    Topic("activations", "Bending the line",
          "Compare activation functions and fold a plane with ReLU hinges", 2,
          screen="screens.activations:ActivationsScreen"),
    Topic("network", "The graph of weights",
          "A small network drawn as a graph whose edges change as it trains", 2,
          screen="screens.network:NetworkScreen"),
    Topic("gradient-descent", "The blind hiker",
          "Roll a ball down a loss curve; too big a step and it flies off", 2,
          screen="screens.gradient_descent:GradientDescentScreen"),
    Topic("linear-regression", "Fitting a straight line",
          "Fit a line to hours studied and exam scores, residuals and all", 2,
          screen="screens.linear_regression:LinearRegressionScreen"),
    Topic("logistic-regression", "From lines to probabilities",
          "Fit a sigmoid to labelled points and watch cross-entropy fall", 2,
          screen="screens.logistic_regression:LogisticRegressionScreen"),
    Topic("decision-tree", "Splitting space into boxes",
          "Grow a tree split by split, each cut chosen to cut impurity most", 2,
          screen="screens.decision_tree:DecisionTreeScreen"),
    Topic("kmeans", "Finding groups without labels",
          "Assign points, move centres, repeat until the clusters settle", 2,
          screen="screens.kmeans:KMeansScreen"),
    Topic("relu-triangle", "Three ReLUs fence a triangle",
          "Three hidden neurons wall in the centre; scrub through training", 2,
          screen="screens.relu_triangle:ReluTriangleScreen"),
    Topic("universal-approximation", "One hidden layer, any curve",
          "Draw a curve and let one hidden layer of N neurons learn to trace it", 2,
          screen="screens.universal_approximation:UniversalApproximationScreen"),
    Topic("backprop", "Backpropagation: passing blame",
          "Step the backward pass and see how each weight gets its gradient", 2,
          screen="screens.backprop:BackpropScreen"),
    Topic("training-loop", "The four-step training loop",
          "Run forward, loss, gradient and update one phase at a time", 2,
          screen="screens.training_loop:TrainingLoopScreen"),
    Topic("batch-size", "Batch size and jitter",
          "Paths down one loss surface for batches from 1 to the whole set", 2,
          screen="screens.batch_size:BatchSizeScreen"),
    Topic("optimizers", "The optimiser race",
          "SGD, momentum, RMSProp and Adam race down a long narrow ravine", 2,
          screen="screens.optimizers:OptimizersScreen"),
    Topic("overfitting", "Too flexible: overfitting",
          "Raise the polynomial degree and watch train and test error part", 2,
          screen="screens.overfitting:OverfittingScreen"),
    Topic("spiral", "Watching a network learn spirals",
          "A small tanh network untangles two interleaved spirals live", 2,
          screen="screens.spiral:SpiralScreen"),
    Topic("playground", "Neural network playground",
          "Build and train your own net: data, features, layers, penalties", 2,
          screen="screens.playground:PlaygroundScreen"),
    # Chapter 3: Language
    Topic("markov-chain", "Weather as a Markov chain",
          "Sample sunny, cloudy and rainy days and meet the long-run mix", 3),
    Topic("rnn", "A recurrent world model",
          "An RNN learns to predict where an agent on a track goes next", 3),
    Topic("attention", "Attention: which words matter",
          "Pick a word and see how much it attends to every other word", 3),
    Topic("tokenizer", "Byte-pair tokenizer",
          "Merge the most frequent pair of symbols, one merge at a time", 3),
    Topic("embeddings", "A map of word vectors",
          "Browse clusters of words and do king - man + woman arithmetic", 3),
    Topic("masked-prediction", "Guess the hidden word",
          "Hide a word in a sentence and see a small model's top guesses", 3),
    # Chapter 4: Vision and generation
    Topic("convolution", "Sliding a convolution kernel",
          "Slide a 3x3 kernel over an image and fill in the feature map", 4),
    Topic("diffusion", "Noise in, picture out",
          "Bury an image in noise step by step, then denoise it back", 4),
    Topic("gan", "A generator against a critic",
          "A 1-D generator and discriminator compete until fakes look real", 4),
    Topic("vae", "Variational autoencoder",
          "Squeeze 2-D data through a 2-D latent space and sample new points", 4),
    Topic("latent-space", "Walking the latent space",
          "Move a point through latent space and watch the output blend", 4),
    Topic("disentanglement", "One knob, one factor",
          "Knobs for size, shape and colour, kept apart or tangled together", 4),
    # Chapter 5: Reinforcement learning
    Topic("bandit", "Multi-armed bandits",
          "Explore or exploit five slot machines; compare three strategies", 5),
    Topic("q-learning", "Q-learning in a grid world",
          "An agent learns the value of each move until it finds the goal", 5),
    Topic("genetic", "Evolving cars",
          "Cars steered by tiny networks improve by selection and mutation", 5),
    Topic("neat", "NEAT: growing bird brains",
          "Birds fly through pipes while their networks evolve in shape", 5),
    Topic("dqn", "Deep Q-learning plays Pong",
          "A paddle learns from replayed experience to return the ball", 5),
    # Chapter 6: Search and games
    Topic("maze-search", "Breadth-first vs depth-first",
          "Draw a maze and watch BFS and DFS explore it cell by cell", 6,
          screen="screens.maze_search:MazeSearchScreen"),
    Topic("astar", "A* search and heuristics",
          "Find shortest paths with f = g + h and compare heuristics", 6,
          screen="screens.astar:AStarScreen"),
    Topic("minimax", "Minimax game trees",
          "Bubble leaf scores up a game tree, max and min taking turns", 6,
          screen="screens.minimax:MinimaxScreen"),
    Topic("alpha-beta", "Alpha-beta pruning",
          "Evaluate the same game tree, skipping branches that cannot matter", 6,
          screen="screens.alpha_beta:AlphaBetaScreen"),
    Topic("mcts", "Monte Carlo tree search",
          "Play tic-tac-toe against a player that thinks by random playouts", 6,
          screen="screens.mcts:MCTSScreen"),
    # Chapter 7: Alignment and reasoning
    Topic("rlhf", "Learning from human preferences",
          "Rate completions, train a reward model, and nudge the policy", 7),
    Topic("chain-of-thought", "Learning to think step by step",
          "Reward right answers and watch the policy learn to reason first", 7),
    # Chapter 8: Hardware and the future
    Topic("spiking-neuron", "A spiking neuron",
          "A leaky integrate-and-fire neuron charges up, fires and resets", 8),
    Topic("singularity", "Linear vs recursive progress",
          "Compare steady progress with a system that speeds itself up", 8),
    # Chapter 9: Build it yourself
    Topic("exercises", "Exercises: build it yourself",
          "Write losses, updates and a training loop; checks tell you how", 9),
)
# fmt: on

_BY_ID: dict[str, Topic] = {topic.id: topic for topic in TOPICS}


def _normalise_id(text: str) -> str:
    """Trim, lower-case, and read ``_`` and spaces as ``-`` (``Gradient_Descent``)."""
    return "-".join(text.strip().lower().replace("_", " ").split())


def _suggest(topic_id: str, limit: int = 3) -> tuple[str, ...]:
    """Ids close to ``topic_id``: near spellings first, then ids that contain it."""
    import difflib  # only needed on the error path; keeps start-up lean

    close = difflib.get_close_matches(topic_id, _BY_ID, n=limit, cutoff=0.6)
    if len(topic_id) >= 3:
        close += [tid for tid in _BY_ID if topic_id in tid and tid not in close]
    return tuple(close[:limit])


def get_topic(topic_id: str) -> Topic:
    """The topic with this id (case, spaces and ``_`` forgiven); :class:`UnknownTopic` otherwise."""
    if not isinstance(topic_id, str):
        raise TypeError(f"a topic id is a string, not {type(topic_id).__name__}")
    key = _normalise_id(topic_id)
    topic = _BY_ID.get(key)
    if topic is None:
        raise UnknownTopic(topic_id, _suggest(key))
    return topic


def topics_in(chapter: int) -> tuple[Topic, ...]:
    """The topics of one chapter, in catalog order; ``ValueError`` for a missing chapter."""
    if not any(ch.number == chapter for ch in CHAPTERS):
        raise ValueError(f"there is no chapter {chapter!r}; chapters run 1 to {len(CHAPTERS)}")
    return tuple(topic for topic in TOPICS if topic.chapter == chapter)


def ready_topics() -> tuple[Topic, ...]:
    """The topics whose screens are built, in catalog order."""
    return tuple(topic for topic in TOPICS if topic.screen is not None)


def load_screen(topic: Topic | str) -> type:
    """Import and return the screen class of a topic (given as a :class:`Topic` or an id).

    Raises ``ValueError`` for a planned topic, :class:`UnknownTopic` for an unknown id and
    ``ImportError`` when the module or class named by the catalog cannot be found.
    """
    if not isinstance(topic, Topic):
        topic = get_topic(topic)
    if topic.screen is None:
        raise ValueError(
            f"topic {topic.id!r} ({topic.title}) is planned: its screen is not built yet"
        )
    module_name, _, class_name = topic.screen.partition(":")
    module = importlib.import_module(module_name)
    screen = getattr(module, class_name, None)
    if not isinstance(screen, type):
        raise ImportError(f"topic {topic.id!r}: {module_name} has no class {class_name!r}")
    return screen


# Points for one query term, by where it is found (the best place counts).
_SCORE_ID_EXACT = 1000
_SCORE_ID_WORD = 60  # a whole part of the id, or its start: "descent" in gradient-descent
_SCORE_ID = 40
_SCORE_TITLE_WORD = 20  # start of a word of the title
_SCORE_TITLE = 12
_SCORE_SUMMARY_WORD = 6
_SCORE_SUMMARY = 3


def _words(text: str) -> list[str]:
    """Lower-case words of ``text``, split at anything that is not a letter or digit."""
    return "".join(c if c.isalnum() else " " for c in text.lower()).split()


def _term_score(term: str, topic: Topic) -> int:
    """How well one lower-case term matches a topic (0: not at all)."""
    id_parts = topic.id.split("-")
    compact = "".join(c for c in term if c.isalnum())
    if any(part.startswith(term) for part in id_parts) or topic.id.startswith(term):
        return _SCORE_ID_WORD
    if term in topic.id or (compact and compact in topic.id.replace("-", "")):
        return _SCORE_ID
    title = topic.title.lower()
    if compact and any(word.startswith(compact) for word in _words(title)):
        return _SCORE_TITLE_WORD
    if term in title:
        return _SCORE_TITLE
    summary = topic.summary.lower()
    if compact and any(word.startswith(compact) for word in _words(summary)):
        return _SCORE_SUMMARY_WORD
    if term in summary:
        return _SCORE_SUMMARY
    return 0


def search(query: str) -> list[Topic]:
    """Topics matching every word of ``query`` (case-insensitive) in id, title or summary.

    Best first: an exact id, then matches in ids, then titles, then summaries; ties keep catalog
    order. An empty query returns every topic.
    """
    if not isinstance(query, str):
        raise TypeError(f"a search query is a string, not {type(query).__name__}")
    terms = query.lower().split()
    if not terms:
        return list(TOPICS)
    exact = _normalise_id(query)
    scored: list[tuple[int, int, Topic]] = []
    for index, topic in enumerate(TOPICS):
        scores = [_term_score(term, topic) for term in terms]
        if all(scores):
            total = sum(scores) + (_SCORE_ID_EXACT if topic.id == exact else 0)
            scored.append((-total, index, topic))
    scored.sort(key=lambda item: item[:2])
    return [topic for _, _, topic in scored]
