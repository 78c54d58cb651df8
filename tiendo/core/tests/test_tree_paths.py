"""Tree path arithmetic: subtree ranges and the depth two paths agree to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.fields import common_depth, path_depth, subtree_bounds

# Paths of a small tree (ids 1-12, so that prefixes such as 1 and 12 collide), and "" for none.
paths = st.lists(st.integers(1, 12), max_size=5).map(
    lambda ids: "/" + "".join(f"{i}/" for i in ids)
)


def _ancestor(path: str, k: int) -> str:
    """The path of ``path``'s first ``k`` units."""
    return "/" + "".join(f"{s}/" for s in path.strip("/").split("/")[:k])


@given(a=paths, b=paths | st.just(""))
def test_common_depth_says_which_subtrees_hold_both_paths(a: str, b: str) -> None:
    # given two paths; for each ancestor of the first, the subtree it roots
    for k in range(1, path_depth(a) + 1):
        low, high = subtree_bounds(_ancestor(a, k))
        # then the second lies in it exactly when the paths agree to at least k units
        assert (low <= b < high) == (common_depth(a, b) >= k)
    assert common_depth(a, b) == common_depth(b, a) <= min(path_depth(a), path_depth(b))


def test_depths_of_simple_paths() -> None:
    assert [path_depth(p) for p in ("", "/", "/7/", "/7/42/")] == [0, 0, 1, 2]
    assert common_depth("/1/2/3/", "/1/2/4/") == 2
    assert common_depth("/1/", "/12/") == 0
    assert common_depth("/1/2/", "") == 0
