"""mcts — tic-tac-toe against Monte Carlo tree search, with its thinking on show.

Run alone: ``python -m screens.mcts``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.mcts import DEFAULT_C, FIRST_CHOICES, MAX_C, MAX_SIMULATIONS, MIN_SIMULATIONS, MCTSGame, NodeView
from algorithms.tictactoe import CELLS, O, X
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.bar_chart import BarChart
from tui.widgets.grid_view import GridView
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.tree_diagram import TreeDiagram, TreeNode

# Cell names: the digit that plays there and an arrow pointing where it is on the board.
CELL_NAMES = tuple(f"{i + 1}{arrow}" for i, arrow in enumerate("↖↑↗←·→↙↓↘"))
MARK_COLORS = {X: palette.blend(palette.NEUTRAL, palette.class_color(0), 0.6),
               O: palette.blend(palette.NEUTRAL, palette.class_color(1), 0.6)}
# Empty cells alternate two greys like a chessboard, so that neighbouring cells stay apart (in
# monochrome too: the darker is drawn blank, the lighter with ░).
EMPTY_COLORS = ((28, 30, 36), (70, 72, 82))
THINK_COLOR = palette.class_color(2)
HINT_WORDS = {1: "win", 0: "draw", -1: "loss"}
HINT_GLYPHS = {1: "+", 0: "=", -1: "−"}
OUTCOME_TEXT = {"you": "You win!", "mcts": "MCTS wins.", "draw": "A draw."}

HELP = """\
# Playing against Monte Carlo tree search

You play tic-tac-toe against **MCTS**, a player with no strategy and no knowledge of the game beyond
its rules. When its turn comes it *imagines* games: thousands of them, each a **simulation** of four
moves of thought —

1. **select**: from the current board, walk down the moves it has already tried, each time taking
   the one with the best **UCT score** = average result + *c*·√(ln N / n). The first part favours moves
   that did well; the second (n visits of the move, N of its parent) favours moves tried too rarely;
2. **expand**: where the walk leaves the known tree, add the new position's moves to it;
3. **play out**: finish the game from there with random moves;
4. **back up**: add the result (win 1, draw ½, loss 0) to every position on the way back up.

After its budget of simulations it plays the move it **visited most** — the one its own search
kept coming back to. Nothing else: the clever-looking play comes from counting random games.

**What you see.** The board (left; while MCTS thinks, each free cell shows its share of the
visits), the **visits** each of its moves got and the **expected score** they earned (right; 50 % is
a draw; ▶ marks the move it will play), and the top of the **search tree**: every first move with its
visits and score, and below the one you open, the replies it considered (the most visited line is
underlined). Bars and tree grow live while it thinks.

**Keys.** Arrows or **h j k l** move the cursor, **enter** places your mark (or press **1**–**9**:
cells numbered row by row from the top left). **space** lets MCTS think live, **n** runs one chunk
of its simulations, **a** makes it finish thinking and answer at once, **b** takes back your last
move and its reply, **g** starts a new game (score kept), **r** resets everything. **x** / **o**
choose your mark, **e** shows the perfect-play verdict of each move, **[** / **]** open another
first move in the tree, **t** swaps the bars for the tree on a short terminal, **p** the knobs.

**Try this.**
* Drop the simulations to 10–50: MCTS starts missing threats and you can beat it. From about 2,000
  on it never loses — not to random moves, not to perfect play.
* Set *c* to 0: it only exploits, and with few simulations can lock onto a bad move. Large *c*
  spreads the visits evenly and blurs its judgement.
* Turn the hints on (**e**) and watch whether its most visited move is a perfect one.
"""


def hint_text(values: dict[int, int], cell: int) -> str:
    """A move's perfect-play verdict as a short word ("" when not known)."""
    return HINT_WORDS[values[cell]] if cell in values else ""


class MCTSScreen(SimulationScreen):
    """The board, the machine's visit and score bars, the top of its search tree, and the knobs."""

    SIZE_CLASSES = {"narrow": 120, "tiny": 60, "short": 40, "squat": 26}
    TOPIC_ID = "mcts"
    TITLE = "Playing against Monte Carlo tree search"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 30
    STEP_NAME = "chunk"

    DEFAULT_CSS = """
    MCTSScreen #mcts-left { width: 1fr; height: 1fr; }
    MCTSScreen #mcts-board { height: 1fr; min-height: 3; }
    MCTSScreen #mcts-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    MCTSScreen #mcts-side { width: 50; height: 1fr; }
    MCTSScreen.-narrow #mcts-side { width: 40; }
    MCTSScreen #mcts-visits, MCTSScreen #mcts-values { height: auto; margin-bottom: 1; }
    MCTSScreen #mcts-tree {
        height: 1fr; min-height: 4; border: round $primary 50%; border-title-color: $text;
    }
    MCTSScreen.-short #mcts-values { display: none; }
    MCTSScreen.-short #mcts-visits { margin-bottom: 0; }
    MCTSScreen.-squat #mcts-tree { display: none; }
    MCTSScreen.-squat.-tree-view #mcts-tree { display: block; }
    MCTSScreen.-squat.-tree-view #mcts-visits { display: none; }
    MCTSScreen.-squat #mcts-card { border: none; }
    MCTSScreen.-tiny #mcts-side { display: none; }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1, 0)", "Cursor", show=False),
        Binding("down,j", "cursor(1, 0)", "Cursor", show=False),
        Binding("left,h", "cursor(0, -1)", "Cursor", show=False),
        Binding("right,l", "cursor(0, 1)", "Cursor", show=False),
        Binding("enter", "place", "Place mark"),
        *(Binding(str(i + 1), f"place_at({i})", f"Mark cell {i + 1}", show=False) for i in range(CELLS)),
        Binding("a", "answer", "Answer now"),
        Binding("g", "new_game", "New game"),
        Binding("x", "choose('X')", "Play X", show=False),
        Binding("o", "choose('O')", "Play O", show=False),
        Binding("e", "toggle_hints", "Hints"),
        Binding("t", "toggle_tree", "Tree/bars", show=False),
        Binding("right_square_bracket", "inspect(1)", "Open next move", key_display="]", show=False),
        Binding("left_square_bracket", "inspect(-1)", "Open previous move", key_display="[", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.cursor: tuple[int, int] = (1, 1)
        self.hints = False
        self.open_move: int | None = None  # the root move the user opened in the tree (None: the best)
        self._picked_for: object = None  # the search that pick belongs to
        self._shown_key: tuple | None = None  # what the widgets show, to skip redrawing the same
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> MCTSGame:
        return MCTSGame(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("simulations", "simulations", sim.simulations, "int", lo=MIN_SIMULATIONS, hi=MAX_SIMULATIONS,
                  factor=2.0, help="random games imagined per move"),
            Param("c", "exploration c", sim.c, "float", lo=0.0, hi=MAX_C, step=0.1, fmt="{:.2f}",
                  help=f"UCT's exploration weight (√2 ≈ {DEFAULT_C:.2f})"),
            Param("human", "you play (x/o)", sim.human, "choice", choices=(X, O)),
            Param("first", "first move", sim.first, "choice", choices=FIRST_CHOICES,
                  labels={"you": "you", "mcts": "MCTS"}),
            Param("hints", "perfect hints (e)", self.hints, "bool"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "hints":
            self.hints = bool(value)
            return
        setter = {
            "simulations": self.sim.set_simulations,
            "c": self.sim.set_c,
            "human": self.sim.set_human,
            "first": self.sim.set_first,
        }[name]
        setter(value)
        if name in ("human", "first"):
            self._say(f"New game: you play {self.sim.human}, {'you' if self.sim.first == 'you' else 'MCTS'} first.")

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self.message = ""

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="mcts-left"):
            yield GridView(max_cell_width=11, max_cell_height=5, id="mcts-board")
            card = Static(id="mcts-card")
            card.border_title = "game"
            yield card
        with Vertical(id="mcts-side"):
            yield BarChart("visits per move", id="mcts-visits")
            yield BarChart("MCTS's expected score per move", id="mcts-values")
            tree = TreeDiagram(id="mcts-tree")
            tree.border_title = "search tree ([ ] open a move)"
            yield tree
            yield ParamPanel(title="knobs (p)")

    def layout_changed(self) -> None:
        self._shown_key = None

    # ------------------------------------------------------------------ drawing
    def sim_step(self) -> None:
        if not self.sim.thinking:
            # Nothing to compute until the person moves: rest the frame clock (update_view wakes it).
            self.rest_clock()
            return
        self.sim.step()

    def update_view(self) -> None:
        sim = self.sim
        search = sim.search
        if sim.thinking:
            self.wake_clock()
        opened = self._open_move()
        key = (id(sim), id(search), search.simulations if search else 0, sim.board, sim.last_move, opened,
               self.hints, self.cursor, self.message, self.playing, sim.games, sim.simulations, sim.human)
        if key == self._shown_key:
            return
        self._shown_key = key
        view = search.view(opened) if search is not None else None
        current = view if sim.search_is_current else None
        values = sim.perfect_values() if self.hints else {}
        self._draw_board(current, values)
        self._draw_bars(view, values if sim.search_is_current else {})
        self._draw_tree(view, opened)
        self.query_one("#mcts-card", Static).update(self._card(values))

    def _open_move(self) -> int | None:
        """The root move whose replies the tree shows: the user's pick for this search, else the
        most visited move."""
        search = self.sim.search
        if search is None or not search.simulations:
            return None
        if self._picked_for is not search:
            self.open_move = None
        return search.best_move if self.open_move is None else self.open_move

    def _draw_board(self, current: NodeView | None, values: dict[int, int]) -> None:
        sim = self.sim
        board = sim.board
        shares = {k.stats.move: k.share for k in current.children} if current is not None else {}
        colors = np.zeros((3, 3, 3), dtype=np.uint8)
        texts = [["" for _ in range(3)] for _ in range(3)]
        for cell, mark in enumerate(board.cells):
            r, c = divmod(cell, 3)
            if mark:
                colors[r, c] = MARK_COLORS[mark]
                texts[r][c] = mark
            elif cell in shares:
                colors[r, c] = palette.blend(EMPTY_COLORS[cell % 2], THINK_COLOR, 0.8 * shares[cell])
                texts[r][c] = f"{shares[cell]:.0%}"
            else:
                colors[r, c] = EMPTY_COLORS[cell % 2]
                # the key that places a mark here, or the perfect-play hint when hints are on
                hint = hint_text(values, cell) if sim.humans_turn else ""
                texts[r][c] = hint or (str(cell + 1) if sim.humans_turn else "")
        marks = [divmod(cell, 3) for cell in board.winning_line]
        if sim.last_move is not None and not marks:
            marks = [divmod(sim.last_move, 3)]
        grid = self.query_one("#mcts-board", GridView)
        grid.set_cells(colors, texts=texts, cursor=self.cursor if not sim.over else None, marks=marks)

    def _draw_bars(self, view: NodeView | None, values: dict[int, int]) -> None:
        visits_chart = self.query_one("#mcts-visits", BarChart)
        values_chart = self.query_one("#mcts-values", BarChart)
        if view is None or not view.children:
            visits_chart.clear()
            values_chart.clear()
            return
        kids = view.children
        labels = [CELL_NAMES[k.stats.move] + (f" {HINT_GLYPHS[values[k.stats.move]]}" if values else "") for k in kids]
        best = next((i for i, k in enumerate(kids) if k.on_pv), None)
        colors = [palette.class_color(2)] * len(kids)
        visits_chart.set_data(labels, [k.stats.visits for k in kids], colors=colors, highlight=best, fmt="{:.0f}")
        scores = [0.0 if math.isnan(k.score) else k.score for k in kids]
        values_chart.set_data(labels, scores, colors=[palette.class_color(4)] * len(kids), highlight=best,
                              fmt="{:.0%}", max_value=1.0)
        sims, budget = self.sim.search_progress
        thinking = self.sim.search_is_current
        visits_chart.title = (f"visits: thinking {sims}/{budget}" if thinking
                              else f"visits behind its last move ({sims})")

    def _draw_tree(self, view: NodeView | None, opened: int | None) -> None:
        tree = self.query_one(TreeDiagram)
        if view is None:
            tree.set_tree(TreeNode("no search yet", detail="MCTS thinks on its turn"))
            return
        mover = self.sim.machine
        tree.set_tree(TreeNode(f"{mover} to move", [self._tree_node(k, opened) for k in view.children], style="max",
                               detail=f"{view.stats.visits} sims"))

    def _tree_node(self, node: NodeView, opened: int | None) -> TreeNode:
        stats = node.stats
        detail = f"{stats.visits} · {node.score:.0%}" if stats.visits else "unvisited"
        if stats.terminal:
            detail += " · end"
        style = "path" if node.on_pv and stats.visits else ("min" if node.depth % 2 else "max")
        if node.depth == 1 and stats.move == opened and not node.on_pv:
            style = "active"
        return TreeNode(CELL_NAMES[stats.move], [self._tree_node(k, opened) for k in node.children], style=style,
                        detail=detail)

    def _card(self, values: dict[int, int]) -> Text:
        sim = self.sim
        text = Text()
        outcome = sim.outcome
        if outcome is not None:
            text.append(OUTCOME_TEXT[outcome], style="bold")
            text.append("  g: new game, b: take back\n")
        elif sim.humans_turn:
            text.append(f"Your move ({sim.human}).", style="bold")
            text.append(" Arrows + enter, or 1–9.\n")
        else:
            sims, budget = sim.search_progress if sim.search_is_current else (0, sim.simulations)
            text.append(f"MCTS ({sim.machine}) is thinking: {sims}/{budget}.", style="bold")
            text.append(" space: think live, n: one chunk\n" if not self.playing else "\n")
        if self.hints and values:
            board = sim.board
            perfect = ", ".join(str(c + 1) for c in board.perfect_moves())
            text.append(f"Perfect play for {board.turn}: {HINT_WORDS[board.value]} with {perfect}\n", style="italic")
        if self.message:
            refused = self.message.startswith("✖")
            text.append(self.message + "\n", style="bold red" if refused else "italic")
        score = sim.score
        text.append(f"you {score['you']} · draws {score['draw']} · MCTS {score['mcts']}")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        search = sim.search
        sims, budget = sim.search_progress
        return {
            "you": sim.human,
            "move": str(sim.board.moves_made),
            "search": f"{sims}/{budget}",
            "tree": f"{search.size if search is not None else 0} nodes",
            "c": f"{sim.c:.2f}",
            "games": str(sim.games),
        }

    def prepare_shot(self) -> None:
        self._shown_key = None
        self.refresh_view()

    # ------------------------------------------------------------------ keys
    def _say(self, message: str, warn: bool = False) -> None:
        self.message = message
        if warn:
            self.notify(message, severity="warning", timeout=3)
        if self.is_mounted:
            self.refresh_view()

    def action_cursor(self, dr: int, dc: int) -> None:
        r, c = self.cursor
        self.cursor = (max(0, min(2, r + dr)), max(0, min(2, c + dc)))
        self.refresh_view()

    def action_place(self) -> None:
        r, c = self.cursor
        self.place(3 * r + c)

    def action_place_at(self, cell: int) -> None:
        self.cursor = divmod(cell, 3)
        self.place(cell)

    def place(self, cell: int) -> None:
        """Play the person's move at ``cell``; a refused move leaves a message on the card."""
        try:
            self.sim.human_move(cell)
        except ValueError as error:
            self._say(f"✖ {error}", warn=True)
            return
        self.message = ""
        self.refresh_view()
        self.refresh_bindings()

    def action_answer(self) -> None:
        """Let MCTS finish its search at once and play (the budget is the same, only not shown live)."""
        if not self.sim.thinking:
            self._say("It is your move." if self.sim.humans_turn else "The game is over: g starts a new one.")
            return
        self.sim.think()
        self.refresh_view()

    def action_new_game(self) -> None:
        self.sim.new_game()
        self._say("")

    def action_choose(self, mark: str) -> None:
        if self.sim.human == mark:
            self._say(f"You already play {mark}.")
            return
        panel = self.param_panel
        if panel is not None:
            panel.propose("human", mark)

    def action_toggle_hints(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("hints", not self.hints)

    def action_toggle_tree(self) -> None:
        """On short terminals the side shows either the visit bars or the tree; this swaps them."""
        self.toggle_class("-tree-view")
        if not self.has_class("-squat"):
            self.notify("The tree and the bars are both on screen at this size.", timeout=2)

    def action_inspect(self, delta: int) -> None:
        search = self.sim.search
        if search is None or not search.simulations:
            self._say("No search to inspect yet: the tree grows while MCTS thinks.")
            return
        moves = [k.move for k in search.root_children()]
        index = moves.index(self._open_move())
        self.open_move = moves[(index + delta) % len(moves)]
        self._picked_for = search
        self.refresh_view()

    def sim_step_back(self) -> bool:
        self.message = ""
        return super().sim_step_back()

    def on_grid_view_cell_clicked(self, event: GridView.CellClicked) -> None:
        self.cursor = (event.row, event.col)
        self.place(3 * event.row + event.col)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("mcts").run()
