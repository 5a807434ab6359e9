"""minimax — scores bubbling up a game tree, max and min taking turns.

Run alone: ``python -m screens.minimax``.
"""

from __future__ import annotations

from screens.game_tree_base import KEYS_HELP, GameTreeScreen

HELP = f"""\
# Minimax game trees

Two players take turns: **max** (▲) wants the final score high, **min** (▼) wants it low. The tree
lists every way the game can go; each leaf is a finished game and its score. Nobody can see the
future, but everybody can reason about it: a max node is worth the **largest** value among its
children, a min node the **smallest**, because each player will pick their best move when it is
their turn. Working that out from the leaves up is **minimax**.

The search here goes depth first, left to right, one event per step: it enters a node, evaluates a
leaf, or hands a child's value up to its parent, which keeps the best so far (shown as `≥3` at a
max node, `≤3` at a min node, until every child has reported). When the root has heard from all its
children, its value is the game's value: what max can guarantee against a min who never errs.
Minimax evaluates **every** leaf; the card shows how many alpha-beta would need on the same tree.

**Try this.** Step through a depth-2 tree and predict each value before it appears. Switch the
ordering (**o**): minimax's count never changes, alpha-beta's does. Type the tree of a small game
you know (**t**) and check the value you expected.

{KEYS_HELP}"""


class MinimaxScreen(GameTreeScreen):
    """Minimax over a game tree, one visible event at a time."""

    TOPIC_ID = "minimax"
    TITLE = "Minimax game trees"
    HELP = HELP
    ALGORITHM = "minimax"


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("minimax").run()
