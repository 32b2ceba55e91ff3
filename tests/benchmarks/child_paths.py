"""Path values for the load benchmark's child API calls: `make bench-load` uses `child_id` by default
(`--path-values tests.benchmarks.child_paths:child_id`) to fill `/api/children/{child_id}/`."""

from modules.children.demo import child_record_demo_seed
from modules.children.selectors import children_visible_to
from modules.organisations.models import Organisation, Unit


def child_id(*, tenant, user) -> dict:
    """Make the signed-in benchmark user the Barnkontakt of one made-up child in this tenant; return its id."""
    if user.unit_id is None:
        # The bench admin has no unit, and one becomes Barnkontakt of a child one registers only when the child
        # attends one's own unit: the demo's preschool.
        organisation, _ = Organisation.objects.get_or_create(
            name="Barn- och utbildningsförvaltningen", defaults={"kind": Organisation.Kind.MUNICIPALITY}
        )
        user.unit, _ = Unit.objects.get_or_create(
            organisation=organisation, name="Förskolan Solrosen", defaults={"kind": Unit.Kind.PRESCHOOL}
        )
        user.save(update_fields=["unit"])
    child_record_demo_seed(email=user.email, children=1)
    return {"child_id": children_visible_to(user=user).values_list("pk", flat=True).first()}
