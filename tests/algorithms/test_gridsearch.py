"""Grid search (maze-search, astar): BFS, DFS, Dijkstra and A* against NetworkX on random grids."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.gridsearch import (
    GOAL,
    HEURISTICS,
    PATH,
    START,
    WALL,
    Grid,
    GridSearchLab,
    Search,
    estimate,
    is_admissible,
)

SEEDS = st.integers(min_value=0, max_value=10_000)
ADMISSIBLE = [(h, d) for h in HEURISTICS for d in (False, True) if not (d and h == "manhattan")]


def reference_graph(grid: Grid) -> nx.DiGraph:
    """The grid as NetworkX sees it, built from the arrays and the documented rule alone: entering a
    cell costs its terrain, × √2 diagonally; a diagonal needs both side cells it passes open."""
    g = nx.DiGraph()
    rows, cols = grid.walls.shape
    free = lambda r, c: 0 <= r < rows and 0 <= c < cols and not grid.walls[r, c]  # noqa: E731
    for r in range(rows):
        for c in range(cols):
            if not free(r, c):
                continue
            g.add_node((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (dr, dc) == (0, 0) or not free(r + dr, c + dc):
                        continue
                    diagonal = dr != 0 and dc != 0
                    if diagonal and not (grid.diagonal and free(r + dr, c) and free(r, c + dc)):
                        continue
                    step = math.sqrt(2) if diagonal else 1.0
                    g.add_edge((r, c), (r + dr, c + dc), weight=step * float(grid.cost[r + dr, c + dc]))
    return g


def random_grid(seed: int, diagonal: bool = False, terrain: bool = False, density: float = 0.3) -> Grid:
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(3, 12)), int(rng.integers(3, 14))
    grid = Grid(rows, cols, diagonal=diagonal)
    if terrain:
        grid.cost[:] = rng.integers(1, 10, size=grid.shape)
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    i, j = rng.choice(len(cells), size=2, replace=False)
    grid.set_ends(cells[i], cells[j])
    grid.fill_random_walls(density * rng.random(), rng)
    return grid


def assert_valid_path(grid: Grid, ref: nx.DiGraph, path: list) -> float:
    """The path runs from start to goal along edges of the reference; returns its reference cost."""
    assert path[0] == grid.start and path[-1] == grid.goal
    assert all(ref.has_edge(a, b) for a, b in zip(path, path[1:]))
    return sum(ref.edges[a, b]["weight"] for a, b in zip(path, path[1:]))


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.booleans())
def test_bfs_finds_a_path_with_fewest_moves(seed, diagonal):
    grid = random_grid(seed, diagonal=diagonal, terrain=True)
    ref = reference_graph(grid)
    search = Search(grid, "bfs").run()
    assert search.found == nx.has_path(ref, grid.start, grid.goal)
    if search.found:
        cost = assert_valid_path(grid, ref, search.path)
        assert len(search.path) - 1 == nx.shortest_path_length(ref, grid.start, grid.goal)
        assert search.path_cost == pytest.approx(cost)


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.sampled_from(ADMISSIBLE))
def test_astar_with_an_admissible_heuristic_finds_a_cheapest_path(seed, combo):
    name, diagonal = combo
    grid = random_grid(seed, diagonal=diagonal, terrain=True)
    ref = reference_graph(grid)
    search = Search(grid, "astar", name).run()
    assert search.found == nx.has_path(ref, grid.start, grid.goal)
    if search.found:
        cost = assert_valid_path(grid, ref, search.path)
        best = nx.dijkstra_path_length(ref, grid.start, grid.goal)
        assert cost == pytest.approx(best)
        assert search.path_cost == pytest.approx(best)
    else:
        assert search.no_path and search.path_cost == math.inf and search.path == []


@settings(max_examples=40, deadline=None)
@given(SEEDS, st.booleans())
def test_dijkstra_finds_a_cheapest_path_and_ignores_the_heuristic(seed, diagonal):
    grid = random_grid(seed, diagonal=diagonal, terrain=True)
    ref = reference_graph(grid)
    search = Search(grid, "dijkstra", "manhattan").run()
    assert search.heuristic == "zero"
    if nx.has_path(ref, grid.start, grid.goal):
        assert search.path_cost == pytest.approx(nx.dijkstra_path_length(ref, grid.start, grid.goal))
    else:
        assert search.no_path


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.booleans())
def test_dfs_finds_a_path_exactly_when_one_exists(seed, diagonal):
    grid = random_grid(seed, diagonal=diagonal, density=0.6)
    ref = reference_graph(grid)
    search = Search(grid, "dfs").run()
    assert search.found == nx.has_path(ref, grid.start, grid.goal)
    if search.found:
        assert_valid_path(grid, ref, search.path)
        assert len(set(search.path)) == len(search.path)  # no cell twice


@pytest.mark.parametrize("algorithm", ["bfs", "dfs", "dijkstra", "astar"])
def test_no_path_is_a_state_after_expanding_everything_reachable(algorithm):
    grid = Grid(7, 9)
    grid.set_start((3, 0))
    grid.set_goal((3, 8))
    for r in range(7):
        grid.set_wall((r, 5))
    search = Search(grid, algorithm).run()
    assert search.done and search.no_path and not search.found
    assert search.path == [] and search.path_cost == math.inf
    reachable = nx.descendants(reference_graph(grid), grid.start) | {grid.start}
    assert set(search.order) == reachable and search.expanded == len(reachable)
    assert not search.step()  # stepping a finished search changes nothing
    assert search.expanded == len(reachable)


# Not zero with diagonals: Dijkstra then spreads by cost (a diagonal is √2) while BFS counts moves
# (a diagonal is 1), so on an open grid it can expand more cells than BFS before reaching the goal.
@pytest.mark.parametrize("name, diagonal", [c for c in ADMISSIBLE if c != ("zero", True)])
def test_astar_expands_no_more_than_bfs_on_open_grids(name, diagonal):
    rng = np.random.default_rng(7)
    for _ in range(40):
        rows, cols = int(rng.integers(3, 20)), int(rng.integers(3, 30))
        grid = Grid(rows, cols, diagonal=diagonal)
        cells = rng.choice(rows * cols, size=2, replace=False)
        grid.set_ends(divmod(int(cells[0]), cols), divmod(int(cells[1]), cols))
        astar = Search(grid, "astar", name).run()
        bfs = Search(grid, "bfs").run()
        assert astar.expanded <= bfs.expanded, (name, diagonal, grid.start, grid.goal)


def test_a_good_heuristic_expands_far_fewer_nodes_than_bfs_on_an_open_grid():
    grid = Grid(21, 41)
    grid.set_start((10, 0))
    grid.set_goal((10, 40))
    assert Search(grid, "astar", "manhattan").run().expanded == 41  # straight along the row
    assert Search(grid, "bfs").run().expanded > 400


@settings(max_examples=30, deadline=None)
@given(SEEDS, st.sampled_from(HEURISTICS), st.booleans())
def test_tie_breaking_lowest_f_then_highest_g_and_runs_repeat(seed, name, diagonal):
    grid = random_grid(seed, diagonal=diagonal, terrain=True)
    search = Search(grid, "astar", name)
    while not search.done:
        waiting = np.argwhere(search.frontier_mask)
        f, g = search.f, search.g
        keys = sorted((round(f[r, c], 9), -round(g[r, c], 9)) for r, c in waiting)
        search.step()
        if search.current is not None and keys:
            r, c = search.current
            assert (round(f[r, c], 9), -round(g[r, c], 9)) == keys[0]
    again = Search(grid, "astar", name).run()
    assert again.order == search.order and again.path == search.path


@settings(max_examples=20, deadline=None)
@given(SEEDS, st.sampled_from(["bfs", "dfs", "dijkstra", "astar"]), st.integers(1, 30))
def test_step_back_returns_to_the_state_one_step_earlier(seed, algorithm, k):
    grid = random_grid(seed, diagonal=True, terrain=True)
    a, b = Search(grid, algorithm, "octile"), Search(grid, algorithm, "octile")
    for _ in range(k):
        a.step()
    for _ in range(a.steps_taken - 1):  # a may have ended before k steps
        b.step()
    a.step_back()
    assert a.order == b.order and a.current == b.current and a.done == b.done
    assert np.array_equal(a.frontier_mask, b.frontier_mask) and np.array_equal(a.g, b.g)
    while a.can_step_back:
        a.step_back()
    with pytest.raises(ValueError):
        a.step_back()


@settings(max_examples=30, deadline=None)
@given(SEEDS, st.sampled_from(ADMISSIBLE))
def test_admissible_heuristics_never_overestimate_the_cost_to_go(seed, combo):
    name, diagonal = combo
    grid = random_grid(seed, diagonal=diagonal, terrain=True)
    to_goal = nx.single_source_dijkstra_path_length(reference_graph(grid).reverse(), grid.goal)
    h = Search(grid, "astar", name).h
    for cell, cost in to_goal.items():
        assert h[cell] <= cost + 1e-9
    assert is_admissible(name, diagonal)


def test_manhattan_overestimates_with_diagonal_moves_and_the_lab_warns():
    grid = Grid(5, 5, diagonal=True)
    grid.set_start((0, 0))
    grid.set_goal((4, 4))
    assert float(estimate("manhattan", 4, 4)) > nx.dijkstra_path_length(reference_graph(grid), (0, 0), (4, 4))
    assert not is_admissible("manhattan", True)
    lab = GridSearchLab(layout="open", algorithm="astar", heuristic="manhattan", neighbours=8)
    assert "overestimates" in lab.warning
    lab.set_neighbours(4)
    assert lab.warning == ""


def test_heuristics_match_their_formulas():
    dr, dc = np.array([3, -2, 0]), np.array([-4, 5, 0])
    assert np.allclose(estimate("manhattan", dr, dc), [7, 7, 0])
    assert np.allclose(estimate("euclidean", dr, dc), [5, math.sqrt(29), 0])
    assert np.allclose(estimate("octile", dr, dc), [4 + 3 * (math.sqrt(2) - 1), 5 + 2 * (math.sqrt(2) - 1), 0])
    assert np.allclose(estimate("chebyshev", dr, dc), [4, 5, 0])
    assert np.allclose(estimate("zero", dr, dc), 0)


@settings(max_examples=25, deadline=None)
@given(SEEDS, st.integers(3, 25), st.integers(3, 40))
def test_mazes_connect_every_open_cell_and_repeat_with_the_seed(seed, rows, cols):
    a, b = Grid(rows, cols), Grid(rows, cols)
    a.fill_maze(np.random.default_rng(seed))
    b.fill_maze(np.random.default_rng(seed))
    assert np.array_equal(a.walls, b.walls)
    assert not a.walls[a.start] and not a.walls[a.goal] and a.start != a.goal
    ref = reference_graph(a)
    assert nx.is_strongly_connected(ref)  # every open cell reachable from every other
    assert a.walls.sum() > 0


def test_random_walls_follow_the_density_and_spare_the_ends():
    grid = Grid(30, 60)
    grid.fill_random_walls(0.3, np.random.default_rng(1))
    assert abs(grid.walls.mean() - 0.3) < 0.03
    assert not grid.walls[grid.start] and not grid.walls[grid.goal]


def test_edits_refuse_bad_input_with_a_message():
    grid = Grid(5, 6)
    with pytest.raises(ValueError, match="rows"):
        Grid(2, 6)
    with pytest.raises(ValueError, match="columns"):
        Grid(5, 81)
    with pytest.raises(ValueError, match="outside"):
        grid.set_wall((5, 0))
    with pytest.raises(ValueError, match="between 1 and 9"):
        grid.set_cost((1, 1), 10)
    with pytest.raises(ValueError, match="different"):
        grid.set_start(grid.goal)
    with pytest.raises(ValueError, match="unknown algorithm"):
        Search(grid, "greedy")
    with pytest.raises(ValueError, match="unknown heuristic"):
        Search(grid, "astar", "cosine")
    assert not grid.set_wall(grid.start)  # the start is never walled
    grid.set_wall((1, 1))
    grid.set_start((1, 1))  # moving the start onto a wall clears it
    assert not grid.walls[1, 1]


def test_the_lab_restarts_on_edits_and_compares_fresh_runs():
    lab = GridSearchLab(seed=3, rows=9, cols=15, layout="walls", density=0.2, algorithm="astar",
                        heuristic="octile", neighbours=8)
    lab.step()
    lab.step()
    cell = next((r, c) for r in range(9) for c in range(15)
                if not lab.grid.walls[r, c] and (r, c) not in (lab.grid.start, lab.grid.goal))
    assert lab.toggle_wall(cell)
    assert lab.search.expanded == 0 and "again" in lab.notice
    assert lab.search.grid.walls[cell]
    lab.paint(cell, 5)
    assert not lab.grid.walls[cell] and lab.grid.cost[cell] == 5
    runs = [("bfs", "zero"), ("astar", "octile"), ("dijkstra", "zero")]
    outcomes = lab.compare(runs)
    for (algorithm, name), outcome in zip(runs, outcomes):
        fresh = Search(lab.grid, algorithm, name).run()
        assert (outcome.expanded, outcome.found) == (fresh.expanded, fresh.found)
        assert outcome.path_cost == fresh.path_cost
    states = lab.cell_states()
    assert states[lab.grid.start] == START and states[lab.grid.goal] == GOAL
    assert np.array_equal(states == WALL, lab.grid.walls)
    lab.finish()
    for cell in lab.search.path[1:-1]:
        assert lab.cell_states()[cell] == PATH


def test_the_same_seed_gives_the_same_grids():
    a = GridSearchLab(seed=5, layout="terrain")
    b = GridSearchLab(seed=5, layout="terrain")
    assert np.array_equal(a.grid.cost, b.grid.cost) and np.array_equal(a.grid.walls, b.grid.walls)
    a.random_walls()
    b.random_walls()
    assert np.array_equal(a.grid.walls, b.grid.walls)
    assert a.grid.cost.max() > 1
