"""Path values for the load benchmark's child API calls: `make bench-load` uses `child_id` by default
(`--path-values tests.benchmarks.child_paths:child_id`) to fill `/api/children/{child_id}/`."""

from modules.children.demo import child_record_demo_seed
from modules.children.selectors import children_visible_to


def child_id(*, tenant, user) -> dict:
    """Make the signed-in benchmark user the Barnkontakt of one made-up child in this tenant; return its id."""
    child_record_demo_seed(email=user.email, children=1)
    return {"child_id": children_visible_to(user=user).values_list("pk", flat=True).first()}
