"""The metrics an instance reports: their keys, their categories, and how their cells add up.

A *flow* counts events in the month they happened (its year is the sum of its months); a *stock* counts the
children or organisations in a state at a month's end (its year is its last month, never a sum).
"""

import re
from dataclasses import dataclass

# Every code that leaves an instance: one token, a letter first (no personnummer, date or sentence fits).
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
CODE = re.compile(CODE_PATTERN)

DAY_BUCKETS = ("d0_1", "d2_7", "d8_30", "d31_plus")
UNIT_KINDS = (
    "forskola",
    "skola",
    "elevhalsa",
    "socialtjanst",
    "bhv",
    "barnmorskemottagning",
    "bup",
    "habilitering",
    "polis",
    "unknown",
)
STAFF_ROLES = ("local_admin", "process_lead", "staff")


@dataclass(frozen=True)
class Metric:
    key: str
    flow: bool
    has_total: bool = True
    categories: tuple[str, ...] = ()  # empty: whatever codes the instances report (model configuration keys)


METRICS = {
    metric.key: metric
    for metric in (
        Metric("concerns_by_unit_kind", flow=True, categories=UNIT_KINDS),
        Metric("concern_ack_days", flow=True, categories=DAY_BUCKETS),
        Metric("concern_to_assessment_days", flow=True, categories=(*DAY_BUCKETS, "none")),
        Metric("children_by_support_level", flow=False),
        Metric("support_level_moves", flow=True),
        Metric("plans_active", flow=False, categories=("on_time", "overdue")),
        Metric("goal_outcomes", flow=True, categories=("reached", "partly", "not_reached")),
        Metric("meetings_held", flow=True, categories=("guardians_and_child", "guardians", "child", "staff_only")),
        Metric("consents", flow=True, has_total=False, categories=("given", "withdrawn", "expired")),
        Metric("organisations_in_teams", flow=False, categories=("kommun", "region", "polis")),
        *(Metric(f"training__{role}", flow=False, categories=("done", "not_done")) for role in STAFF_ROLES),
    )
}
COMPASS_PREFIX = "compass__"
COMPASS_CATEGORIES = ("improved", "same", "worse")


def metric_for(key: str) -> Metric | None:
    """The metric of ``key``; compass metrics (one per model release and area) are made on demand."""
    if key in METRICS:
        return METRICS[key]
    if key.startswith(COMPASS_PREFIX) and CODE.match(key):
        return Metric(key, flow=True, categories=COMPASS_CATEGORIES)
    return None


def compass_metric_key(release_version: int, area_key: str) -> str:
    return f"{COMPASS_PREFIX}r{release_version}__{area_key}"


def compass_metric_parts(key: str) -> tuple[int, str]:
    """(release version, area key) of a compass metric's key."""
    release, area = key.removeprefix(COMPASS_PREFIX).split("__", 1)
    return int(release.removeprefix("r")), area
