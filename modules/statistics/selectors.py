"""``instance_figures``: every metric of the current tenant's schema, as counts per (metric, category, month).

Counts of distinct children (or events, or organisations, or staff); months are the first day of the month in
the platform's time zone, from January of the previous year to ``today``'s month. One statement per metric,
each an aggregate in PostgreSQL: no row about a child reaches Python.
"""

import datetime

from django.conf import settings
from django.db import connection

from modules.statistics.metrics import CODE, STAFF_ROLES, compass_metric_key

Figures = dict[tuple[str, str, datetime.date], int]

# (raised, later) -> a code of how long it took, in whole days.
_DAYS_BUCKET = """CASE WHEN {days} < 2 THEN 'd0_1' WHEN {days} < 8 THEN 'd2_7'
    WHEN {days} < 31 THEN 'd8_30' ELSE 'd31_plus' END"""

_QUERIES = {
    "concerns_by_unit_kind": """
        SELECT date_trunc('month', c.raised_at AT TIME ZONE %(tz)s)::date, COALESCE(u.kind, 'unknown'), count(*)
        FROM children_concern c
        JOIN accounts_user a ON a.id = c.raised_by_id
        LEFT JOIN organisations_unit u ON u.id = a.unit_id
        WHERE c.raised_at >= %(start)s GROUP BY 1, 2""",
    # Only constants of this module are formatted into these two (S608): the parameters go through psycopg.
    "concern_ack_days": f"""
        SELECT date_trunc('month', c.raised_at AT TIME ZONE %(tz)s)::date,
               {_DAYS_BUCKET.format(days="extract(epoch FROM c.acknowledged_at - c.raised_at) / 86400")}, count(*)
        FROM children_concern c
        WHERE c.raised_at >= %(start)s AND c.acknowledged_at IS NOT NULL GROUP BY 1, 2""",  # noqa: S608
    "concern_to_assessment_days": f"""
        WITH first_concern AS (
            SELECT child_id, (min(raised_at) AT TIME ZONE %(tz)s) AS raised FROM children_concern GROUP BY child_id
        ), paired AS (
            SELECT f.raised, (SELECT min(a.assessed_on) FROM casework_assessment a
                              WHERE a.child_id = f.child_id AND a.assessed_on >= f.raised::date) AS assessed_on
            FROM first_concern f WHERE f.raised >= %(start_local)s
        )
        SELECT date_trunc('month', raised)::date,
               CASE WHEN assessed_on IS NULL THEN 'none'
                    ELSE {_DAYS_BUCKET.format(days="(assessed_on - raised::date)")} END, count(*)
        FROM paired GROUP BY 1, 2""",  # noqa: S608
    "children_by_support_level": """
        SELECT m.month::date, s.support_level_key, count(*)
        FROM generate_series(%(start_local)s::date, %(this_month)s::date, interval '1 month') AS m(month)
        CROSS JOIN LATERAL (
            SELECT DISTINCT ON (a.child_id) a.child_id, a.support_level_key FROM casework_assessment a
            WHERE a.assessed_on < m.month + interval '1 month'
            ORDER BY a.child_id, a.assessed_on DESC, a.id DESC
        ) s
        WHERE NOT EXISTS (
            SELECT 1 FROM casework_caseclosure cl
            WHERE cl.child_id = s.child_id AND (cl.closed_at AT TIME ZONE %(tz)s) < m.month + interval '1 month'
        )
        GROUP BY 1, 2""",
    "support_level_moves": """
        WITH ordered AS (
            SELECT a.assessed_on, a.support_level_key AS level,
                   lag(a.support_level_key) OVER (PARTITION BY a.child_id ORDER BY a.assessed_on, a.id) AS previous
            FROM casework_assessment a
        )
        SELECT date_trunc('month', assessed_on)::date,
               CASE WHEN previous = level THEN 'same' ELSE previous || '__' || level END, count(*)
        FROM ordered WHERE previous IS NOT NULL AND assessed_on >= %(start_local)s GROUP BY 1, 2""",
    "plans_active": """
        SELECT %(this_month)s::date, CASE WHEN p.next_review_on >= %(today)s THEN 'on_time' ELSE 'overdue' END,
               count(*)
        FROM casework_plan p
        WHERE NOT EXISTS (SELECT 1 FROM casework_caseclosure cl WHERE cl.child_id = p.child_id) GROUP BY 1, 2""",
    "goal_outcomes": """
        SELECT date_trunc('month', a.assessed_on)::date, g.outcome, count(*)
        FROM casework_goal g JOIN casework_assessment a ON a.id = g.outcome_assessment_id
        WHERE g.outcome <> '' AND a.assessed_on >= %(start_local)s GROUP BY 1, 2""",
    "meetings_held": """
        SELECT date_trunc('month', m.held_at AT TIME ZONE %(tz)s)::date,
               CASE WHEN m.guardians_take_part AND m.child_takes_part THEN 'guardians_and_child'
                    WHEN m.guardians_take_part THEN 'guardians'
                    WHEN m.child_takes_part THEN 'child' ELSE 'staff_only' END, count(*)
        FROM casework_meeting m WHERE m.held_at >= %(start)s GROUP BY 1, 2""",
    "consents": """
        SELECT date_trunc('month', given_on)::date, 'given', count(*)
        FROM consent_consent WHERE given_on >= %(start_local)s GROUP BY 1
        UNION ALL
        SELECT date_trunc('month', withdrawn_at AT TIME ZONE %(tz)s)::date, 'withdrawn', count(*)
        FROM consent_consent WHERE withdrawn_at >= %(start)s GROUP BY 1
        UNION ALL
        SELECT date_trunc('month', valid_until)::date, 'expired', count(*)
        FROM consent_consent WHERE withdrawn_at IS NULL AND valid_until < %(today)s
              AND valid_until >= %(start_local)s GROUP BY 1""",
    "organisations_in_teams": """
        SELECT %(this_month)s::date, o.kind, count(DISTINCT o.id)
        FROM children_teammember tm
        JOIN accounts_user u ON u.id = tm.user_id
        JOIN organisations_unit un ON un.id = u.unit_id
        JOIN organisations_organisation o ON o.id = un.organisation_id
        WHERE tm.ended_at IS NULL GROUP BY 1, 2""",
}

# Per model release and area: the first assessment in that release against the latest one, for each child
# assessed at least twice in it, counted in the month of the latest one. A lower level value is better.
_COMPASS = """
    WITH pairs AS (
        SELECT release_id,
               (array_agg(id ORDER BY assessed_on, id))[1] AS first_id,
               (array_agg(id ORDER BY assessed_on DESC, id DESC))[1] AS last_id,
               max(assessed_on) AS last_on
        FROM casework_assessment GROUP BY child_id, release_id HAVING count(*) >= 2
    )
    SELECT r.version, fr.area_key, date_trunc('month', p.last_on)::date,
           CASE WHEN lr.level_value < fr.level_value THEN 'improved'
                WHEN lr.level_value = fr.level_value THEN 'same' ELSE 'worse' END, count(*)
    FROM pairs p
    JOIN casework_arearating fr ON fr.assessment_id = p.first_id
    JOIN casework_arearating lr ON lr.assessment_id = p.last_id AND lr.area_key = fr.area_key
    JOIN model_config_installedrelease r ON r.id = p.release_id
    WHERE p.last_on >= %(start_local)s
    GROUP BY 1, 2, 3, 4"""

# Staff who passed every lesson of every required course of the current release meant for their role.
_TRAINING = """
    WITH required AS (
        SELECT c.key AS course_key, l.key AS lesson_key, role.value AS role
        FROM training_course c
        JOIN model_config_installedrelease r ON r.id = c.release_id AND r.is_current
        JOIN training_lesson l ON l.course_id = c.id
        CROSS JOIN LATERAL jsonb_array_elements_text(c.target_roles) AS role(value)
        WHERE c.required
    ), staff AS (
        SELECT u.id, u.role,
               bool_and(p.passed IS TRUE) AS done, count(q.role) AS required_lessons
        FROM accounts_user u
        LEFT JOIN required q ON q.role = u.role
        LEFT JOIN training_lessonprogress p
               ON p.user_id = u.id AND p.course_key = q.course_key AND p.lesson_key = q.lesson_key
        WHERE u.is_active AND u.role = ANY(%(roles)s)
        GROUP BY u.id, u.role
    )
    SELECT role, CASE WHEN done THEN 'done' ELSE 'not_done' END, count(*)
    FROM staff WHERE required_lessons > 0 GROUP BY 1, 2"""


def first_month(today: datetime.date) -> datetime.date:
    """The first month reported: January of the previous year (two calendar years of trend)."""
    return datetime.date(today.year - 1, 1, 1)


def reported_months(today: datetime.date) -> list[datetime.date]:
    months, month = [], first_month(today)
    while month <= today:
        months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def instance_figures(*, today: datetime.date) -> Figures:
    """Every metric of the schema in use: {(metric, category, month): count}, zero counts left out."""
    start_local = first_month(today)
    params = {
        "tz": settings.TIME_ZONE,
        "start_local": start_local,
        "start": datetime.datetime.combine(start_local, datetime.time(), tzinfo=datetime.UTC)
        - datetime.timedelta(days=1),
        "this_month": today.replace(day=1),
        "today": today,
        "roles": list(STAFF_ROLES),
    }
    figures: Figures = {}
    with connection.cursor() as cursor:
        for metric, sql in _QUERIES.items():
            cursor.execute(sql, params)
            for month, category, count in cursor.fetchall():
                if month >= start_local:
                    figures[(metric, category, month)] = count
        cursor.execute(_COMPASS, params)
        for version, area_key, month, category, count in cursor.fetchall():
            figures[(compass_metric_key(version, area_key), category, month)] = count
        cursor.execute(_TRAINING, params)
        for role, category, count in cursor.fetchall():
            figures[(f"training__{role}", category, params["this_month"])] = count
    # Codes only: a key of the model configuration that is not one token is left out rather than stored.
    return {key: count for key, count in figures.items() if count and CODE.match(key[0]) and CODE.match(key[1])}
