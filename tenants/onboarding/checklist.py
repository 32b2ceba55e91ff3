"""Where the checklist learns an item's state from another capability, without importing it.

Items without a registered source are set by hand (a local admin or a national coordinator). To let an
item follow the data, register a function that answers for the active tenant schema::

    # e.g. in the organisations app's AppConfig.ready() (issue 6)
    from tenants.onboarding.checklist import item_source_register
    item_source_register("organisations", organisations_checklist_state)

The function gets ``tenant`` and runs inside ``tenant_context(tenant)``; it returns
``(state, note)`` with state one of "todo", "in_progress", "done", or None to fall back to the manual state.
Keys: agreement, organisations, staff, training, release, go_live.
"""

from collections.abc import Callable

_sources: dict[str, Callable] = {}


def item_source_register(key: str, source: Callable | None) -> None:
    if source is None:
        _sources.pop(key, None)
    else:
        _sources[key] = source


def item_source(key: str) -> Callable | None:
    return _sources.get(key)
