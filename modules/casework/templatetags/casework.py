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
