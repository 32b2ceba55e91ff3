"""The process on the child's page, as an inclusion tag so the children views stay as they are. The child's
page has already passed the permission and logged its read. Nothing here writes: a tag runs while the page
is rendered, after the read's audit entry must already be committed (the start page's list is read and logged
by ``modules.casework.views.staff_attention_context`` in its view)."""

from django import template

register = template.Library()


@register.inclusion_tag("casework/child_section.html", takes_context=True)
def casework_section(context, child):
    from modules.casework.views import process_context

    return {"child": child, "user": context["user"], **process_context(child)}


@register.filter
def in_language(value):
    """A stored {"sv", "en"} text (a name from the model configuration) in the reader's language; other values
    as they are."""
    from django.utils.translation import get_language

    if isinstance(value, dict):
        english = (get_language() or "sv").startswith("en")
        return (value.get("en") if english else "") or value.get("sv", "")
    return value


@register.filter
def goal_outcome(value):
    from modules.casework.models import Goal

    return dict(Goal.Outcome.choices).get(value or "", value)


@register.filter
def action_status_label(value):
    from modules.casework.plan_selectors import ACTION_STATUS_LABELS

    return ACTION_STATUS_LABELS.get(value, value)
