"""Disclosure control for published statistics: the one function that decides which cells are shown.

A metric is published as one cube of counts, ``values[geography, category, period]``, tied together by
additive equations along each axis (``Equation``): a county is the sum of its instances and the nation of its
counties; the total of the categories; a year of its months. Every table a page, the API or an export shows
is a slice of that cube, so protecting the cube protects every table and every pair of tables.

- **Primary suppression**: a cell of 1 to threshold-1 is not shown ("färre än 5"). Zero is shown: a count of
  no child points at no child, and hiding every zero would hide nearly every month of a small instance (a total
  equal to its shown parts tells that the hidden parts are zero). A zero may still be hidden as a partner, under
  the same mark, so "färre än 5" means 0 to threshold-1 to the attacker.
- **Secondary suppression**: no equation may hold exactly one hidden cell (it would be the parent minus the
  rest); then every hidden cell must keep a range of at least two possible values against an attacker who
  knows every equation and what each mark means (a primary cell is 0..threshold-1, a secondary one at least the
  threshold), found by propagating the intervals through all equations until nothing changes. A cell pinned to
  one value gets another partner hidden, and the two steps repeat.

Noise (a cell-key method) is not used: see the note in README "Statistics".
"""

from dataclasses import dataclass

import numpy as np

PUBLISHED = 0
PRIMARY = 1
SECONDARY = 2
# "No upper bound" for a secondary cell, as a float that sums without overflow.
UNBOUNDED = 1e12
_MAX_ROUNDS = 200
# Propagating intervals misses what combining several equations reveals. Up to this many hidden cells in a cube
# the interval check is followed by the exact one (two linear programmes per hidden cell, scipy's HiGHS)...
EXACT_CHECK_MAX_HIDDEN = 200
# ... and up to this many by the linear one (a hidden cell the equations alone fix, found from the null space of
# the system, one SVD). Beyond it (a national cube of hundreds of sparse instances) the interval check alone
# decides; see README "Statistics".
LINEAR_CHECK_MAX_HIDDEN = 400
# A larger cube gets this many rounds of hiding partners for exposed cells; if cells are still exposed after
# them, every count of its detail rows (the instances) is hidden and it is checked again, and failing that every
# count of the cube (its zeros stay): slow to settle means too sparse to publish at that level.
LARGE_CUBE_FIX_ROUNDS = 0


@dataclass(frozen=True)
class Equation:
    """``values[parent] == sum(values[children])`` along ``axis``, for every position on the other axes."""

    axis: int
    parent: int
    children: tuple[int, ...]


def _axis_view(array: np.ndarray, axis: int) -> np.ndarray:
    return np.moveaxis(array, axis, 0)


def _bounds(values: np.ndarray, status: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    low = np.where(status == PUBLISHED, values, np.where(status == PRIMARY, 0, threshold)).astype(float)
    high = np.where(status == PUBLISHED, values, np.where(status == PRIMARY, threshold - 1, UNBOUNDED)).astype(float)
    return low, high


def attacker_bounds(
    values: np.ndarray, status: np.ndarray, equations: list[Equation], threshold: int
) -> tuple[np.ndarray, np.ndarray]:
    """The tightest interval of every cell an attacker reaches by propagating bounds through the equations."""
    low, high = _bounds(values, status, threshold)
    for _round in range(_MAX_ROUNDS):
        changed = False
        for eq in equations:
            lo, hi = _axis_view(low, eq.axis), _axis_view(high, eq.axis)
            children = list(eq.children)
            child_lo, child_hi = lo[children], hi[children]
            sum_lo, sum_hi = child_lo.sum(axis=0), child_hi.sum(axis=0)
            new_parent_lo = np.maximum(lo[eq.parent], sum_lo)
            new_parent_hi = np.minimum(hi[eq.parent], sum_hi)
            new_child_lo = np.maximum(child_lo, new_parent_lo - (sum_hi - child_hi))
            new_child_hi = np.minimum(child_hi, new_parent_hi - (sum_lo - child_lo))
            if (
                (new_parent_lo != lo[eq.parent]).any()
                or (new_parent_hi != hi[eq.parent]).any()
                or (new_child_lo != child_lo).any()
                or (new_child_hi != child_hi).any()
            ):
                changed = True
                lo[eq.parent], hi[eq.parent] = new_parent_lo, new_parent_hi
                lo[children], hi[children] = new_child_lo, new_child_hi
        if not changed:
            break
    return low, high


def _hidden_system(values, status, equations: list[Equation]):
    """The equations restricted to the hidden cells (shown cells are constants): (hidden cells, rows, right sides)."""
    hidden = np.argwhere(status != PUBLISHED)
    number = {tuple(int(i) for i in cell): n for n, cell in enumerate(hidden)}
    rows, rhs = [], []
    for eq in equations:
        view_values, view_status = _axis_view(values, eq.axis), _axis_view(status, eq.axis)
        members = [(eq.parent, -1), *((child, 1) for child in eq.children)]
        for position in np.ndindex(view_values.shape[1:]):
            if all(view_status[(m, *position)] == PUBLISHED for m, _sign in members):
                continue
            row, constant = np.zeros(len(hidden)), 0.0
            for member, sign in members:
                at = (member, *position)
                if view_status[at] == PUBLISHED:
                    constant -= sign * view_values[at]
                else:
                    cell = at[1 : eq.axis + 1] + at[:1] + at[eq.axis + 1 :]
                    row[number[cell]] += sign
            rows.append(row)
            rhs.append(constant)
    return hidden, rows, rhs


def _exactly_pinned(values, status, equations: list[Equation], threshold: int) -> np.ndarray:
    """Hidden cells a linear programme over every equation and every mark's bounds pins to one whole number.

    A cell is free once any feasible solution gives it another value than its true one: a few programmes with
    random objectives free most cells at once; only the rest get their own minimum and maximum."""
    from scipy.optimize import linprog

    hidden, rows, rhs = _hidden_system(values, status, equations)
    if len(hidden) == 0:
        return np.zeros((0, values.ndim), dtype=int)
    truth = values[tuple(hidden.T)].astype(float)
    bounds = [(0, threshold - 1) if status[tuple(cell)] == PRIMARY else (threshold, None) for cell in hidden]
    a_eq, b_eq = (np.array(rows), np.array(rhs)) if rows else (None, None)
    free = np.zeros(len(hidden), dtype=bool)
    # Seeded: the same cube always gets the same pattern.
    directions = np.random.default_rng(len(hidden)).normal(size=(8, len(hidden)))
    for objective in directions:
        result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if result.status == 0:
            free |= np.abs(result.x - truth) > 0.5
    pinned = []
    for n in np.flatnonzero(~free):
        objective = np.zeros(len(hidden))
        objective[n] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and np.floor(-high.fun + 1e-7) <= np.ceil(low.fun - 1e-7):
            pinned.append(hidden[n])
    return np.array(pinned, dtype=int).reshape(-1, values.ndim)


def _linearly_determined(values, status, equations: list[Equation]) -> np.ndarray:
    """Hidden cells the equations alone fix: those outside every direction of the system's null space."""
    hidden, rows, _rhs = _hidden_system(values, status, equations)
    if not rows:
        return np.zeros((0, values.ndim), dtype=int)
    matrix = np.array(rows)
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    free = np.abs(null_space).sum(axis=0) > 1e-9 if len(null_space) else np.zeros(len(hidden), dtype=bool)
    return hidden[~free]


def _hide_partner(
    values, status, eq: Equation, position: tuple, *, parent_too: bool = True, zeros_too: bool = True
) -> bool:
    """Hide one more shown member of ``eq`` at ``position`` (the other axes' indices): the smallest non-zero
    child, else the parent, else a zero child (marked as under the threshold, which it is). False when no such
    member is left."""
    view_values, view_status = _axis_view(values, eq.axis), _axis_view(status, eq.axis)
    shown = [child for child in eq.children if view_status[(child, *position)] == PUBLISHED]
    nonzero = [child for child in shown if view_values[(child, *position)] > 0]
    if nonzero:
        chosen = min(nonzero, key=lambda child: view_values[(child, *position)])
    elif parent_too and view_status[(eq.parent, *position)] == PUBLISHED and view_values[(eq.parent, *position)] > 0:
        chosen = eq.parent
    elif zeros_too and shown:
        view_status[(shown[0], *position)] = PRIMARY
        return True
    else:
        return False
    view_status[(chosen, *position)] = SECONDARY
    return True


def _equations_of(cell: tuple, equations: list[Equation]):
    """(equation, position on the other axes) of every equation ``cell`` is a member of."""
    for eq in equations:
        index = cell[eq.axis]
        if index == eq.parent or index in eq.children:
            yield eq, cell[: eq.axis] + cell[eq.axis + 1 :]


def _hide_near(values, status, equations: list[Equation], cell: tuple, depth: int = 6) -> bool:
    """Hide a partner for an exposed ``cell``: in one of its own equations if any has a shown non-zero member,
    else in an equation of the hidden cells it is tied to, and so on outwards (breadth first)."""
    seen, frontier = {cell}, [cell]
    for _step in range(depth):
        # A child first (a total hidden hides more tables than a part), then a parent, then a zero.
        for parent_too, zeros_too in ((False, False), (True, False), (True, True)):
            for current in frontier:
                for eq, position in _equations_of(current, equations):
                    if _hide_partner(values, status, eq, position, parent_too=parent_too, zeros_too=zeros_too):
                        return True
        following = []
        for current in frontier:
            for eq, position in _equations_of(current, equations):
                for member in (eq.parent, *eq.children):
                    neighbour = position[: eq.axis] + (member,) + position[eq.axis :]
                    if neighbour not in seen and status[neighbour] != PUBLISHED:
                        seen.add(neighbour)
                        following.append(neighbour)
        frontier = following
    return False


def _single_hidden_rule(values, status, equations) -> bool:
    """Give every equation holding exactly one hidden cell a second one. True if anything was hidden."""
    changed = False
    for eq in equations:
        view_status = _axis_view(status, eq.axis)
        members = [eq.parent, *eq.children]
        hidden = (view_status[members] != PUBLISHED).sum(axis=0)
        for position in zip(*np.nonzero(hidden == 1), strict=True):
            changed |= _hide_partner(values, status, eq, tuple(int(i) for i in position))
    return changed


def suppress(
    values: np.ndarray, equations: list[Equation], threshold: int, *, detail_rows: tuple[int, ...] = ()
) -> np.ndarray:
    """The status of every cell of the cube: PUBLISHED, PRIMARY (under ``threshold``) or SECONDARY.

    ``values`` must satisfy the equations (the caller builds parents as sums). Deterministic: the same cube
    gives the same pattern.
    """
    values = np.asarray(values, dtype=np.int64)
    status = np.where((values > 0) & (values < threshold), PRIMARY, PUBLISHED).astype(np.int8)
    fix_rounds = 0
    detail_hidden = False
    for _round in range(_MAX_ROUNDS):
        if _single_hidden_rule(values, status, equations):
            continue
        low, high = attacker_bounds(values, status, equations, threshold)
        exposed = np.argwhere((status != PUBLISHED) & (high - low < 1))
        hidden_count = int((status != PUBLISHED).sum())
        if len(exposed) == 0 and hidden_count <= EXACT_CHECK_MAX_HIDDEN:
            exposed = _exactly_pinned(values, status, equations, threshold)
        elif len(exposed) == 0 and hidden_count <= LINEAR_CHECK_MAX_HIDDEN:
            exposed = _linearly_determined(values, status, equations)
        if len(exposed) == 0:
            return status
        fix_rounds += 1
        if hidden_count > LINEAR_CHECK_MAX_HIDDEN and fix_rounds > LARGE_CUBE_FIX_ROUNDS:
            if detail_rows and not detail_hidden:
                # First give up the detail (every instance's counts), keep the aggregates and check again.
                rows = list(detail_rows)
                status[rows] = np.where(values[rows] >= threshold, SECONDARY, status[rows])
                detail_hidden, fix_rounds = True, 0
                continue
            break
        progressed = False
        for cell in exposed:
            progressed |= _hide_near(values, status, equations, tuple(int(i) for i in cell))
        if not progressed:
            break
    # Nothing left to hide near an exposed cell, or a large cube that does not settle soon: hide every count
    # rather than publish one that gives a small cell away (zeros stay shown; they pin nothing).
    status[values >= threshold] = SECONDARY
    return status
