from hypothesis import given
from hypothesis import strategies as st

from haven.core.disclosure import suppress_counts


def test_small_counts_are_hidden_and_large_ones_shown():
    assert suppress_counts([12, 3, 0, 7, 2]) == ([12, None, 0, 7, None], 24)


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    assert suppress_counts([12, 3, 9, 30]) == ([12, None, None, 30], 54)


def test_a_small_total_is_hidden_too():
    assert suppress_counts([1, 2]) == ([None, None], None)


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_worked_out_from_the_total(counts):
    shown, total = suppress_counts(counts)
    hidden = [i for i, n in enumerate(shown) if n is None]
    assert all(counts[i] == n for i, n in enumerate(shown) if n is not None)
    assert all(n is None or n == 0 or n >= 5 for n in shown)
    # With the total shown, a lone hidden cell would be total minus the shown cells: never alone.
    if total is not None and hidden:
        assert len(hidden) >= 2
