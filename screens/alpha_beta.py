"""alpha-beta — the same game tree, skipping branches that cannot change the answer.

Run alone: ``python -m screens.alpha_beta``.
"""

from __future__ import annotations

from screens.game_tree_base import KEYS_HELP, GameTreeScreen

HELP = f"""\
# Alpha-beta pruning

The same game tree as minimax, the same answer at the root, often far fewer leaves looked at.
Every node is searched with a **window [α, β]** (shown under it): α is the most max is already sure
to get somewhere above, β the least min is already sure to concede. A max node raises α as its
children report; a min node lowers β.

As soon as **α ≥ β** at a node, its remaining children cannot matter: whatever they hold, the
player above has a better option elsewhere and will never let the game come here. Those children
are **pruned** — struck through with × — and never evaluated. A value cut short is only a bound
(`≥5`, `≤2`), which is all the parent needed.

**Move ordering matters.** With the best moves tried first (**o** → best first) alpha-beta needs
only b^⌈d/2⌉ + b^⌊d/2⌋ − 1 leaves of a full tree of branching b and depth d (Knuth and Moore,
1975) — about the square root of all b^d. Worst first, it can prune nothing at all. The card
compares the counts of minimax and alpha-beta on the tree shown, and the root values of both.

**Try this.** Type `3 12 8 | 2 4 6 | 14 5 2` (**t**) and find the two leaves that are skipped
before the search gets there. Then try worst first, and best first, on a depth-4 tree.

{KEYS_HELP}"""


class AlphaBetaScreen(GameTreeScreen):
    """Alpha-beta over a game tree: windows, cut-offs and pruned branches, one event at a time."""

    TOPIC_ID = "alpha-beta"
    TITLE = "Alpha-beta pruning"
    HELP = HELP
    ALGORITHM = "alphabeta"


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("alpha-beta").run()
