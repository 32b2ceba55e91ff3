"""Behovskompassen per perspective: when the release defines perspectives (the child's, the guardians', the
professional's), each area may also be rated from each perspective taken part in the assessment. The
assessment's own rating stays the one the plan and the compass over time are built on; these sit beside it,
and the chart draws them side by side for the latest assessment that has them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from modules.casework.models import Assessment, PerspectiveRating
from modules.casework.selectors import (
    CompassOverTime,
    CompassSeries,
    assessments_of,
    release_items,
    release_scale_levels,
)
from modules.model_config.models import ModelItem


@dataclass
class PerspectiveRatingData:
    perspective_key: str
    area_key: str
    level_key: str


def perspective_ratings_errors(
    ratings: list[PerspectiveRatingData], *, release, perspective_keys: list[str]
) -> dict[str, str]:
    """What keeps ``ratings`` from being recorded under ``release``: each names a perspective taken part in the
    assessment, an area of the release and a level of its scale, once per perspective and area."""
    if not ratings:
        return {}
    areas = {item.key for item in release_items(release=release, kind=ModelItem.Kind.AREA)}
    perspectives = {item.key for item in release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)}
    levels = {level["key"] for level in release_scale_levels(release=release)}
    pairs = [(rating.perspective_key, rating.area_key) for rating in ratings]
    if any(rating.perspective_key not in perspectives or rating.area_key not in areas for rating in ratings):
        return {"perspective_ratings": _("Okänt perspektiv eller område i skattningarna per perspektiv.")}
    if any(rating.perspective_key not in perspective_keys for rating in ratings):
        return {"perspective_ratings": _("Skatta bara utifrån de perspektiv som finns med i bedömningen.")}
    if any(rating.level_key not in levels for rating in ratings) or len(set(pairs)) != len(pairs):
        return {"perspective_ratings": _("Skatta varje område högst en gång per perspektiv, på skalan.")}
    return {}


def perspective_ratings_create(*, assessment: Assessment, ratings: list[PerspectiveRatingData]) -> None:
    levels = [level["key"] for level in release_scale_levels(release=assessment.release)]
    PerspectiveRating.objects.bulk_create(
        PerspectiveRating(
            assessment=assessment,
            perspective_key=rating.perspective_key,
            area_key=rating.area_key,
            level_key=rating.level_key,
            level_value=levels.index(rating.level_key) + 1,
        )
        for rating in ratings
    )


def compass_by_perspective(*, child) -> CompassOverTime | None:
    """The latest assessment with ratings per perspective: one series per perspective, in the release's order,
    then the assessment's own rating, so the chart and its table show them side by side."""
    assessments = list(assessments_of(child=child).prefetch_related("perspective_ratings"))
    latest = next((a for a in reversed(assessments) if a.perspective_ratings.all()), None)
    if latest is None:
        return None
    areas = [(item.key, item.name) for item in release_items(release=latest.release, kind=ModelItem.Kind.AREA)]
    by_perspective = {}
    for rating in latest.perspective_ratings.all():
        by_perspective.setdefault(rating.perspective_key, {})[rating.area_key] = rating.level_value
    series = [
        CompassSeries(assessment=latest, label=item.name, values=by_perspective[item.key])
        for item in release_items(release=latest.release, kind=ModelItem.Kind.PERSPECTIVE)
        if item.key in by_perspective
    ]
    series.append(
        CompassSeries(
            assessment=latest,
            label=_("Samlad skattning"),
            values={rating.area_key: rating.level_value for rating in latest.ratings.all()},
        )
    )
    # The table's rows: per area, each series' value (None: not rated from that perspective).
    rows = [{"key": key, "name": name, "cells": [one.values.get(key) for one in series]} for key, name in areas]
    return CompassOverTime(
        areas=areas,
        max_value=max(len(release_scale_levels(release=latest.release)), 1),
        series=series,
        changes=rows,
    )
