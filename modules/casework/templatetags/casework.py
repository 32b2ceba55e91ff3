"""The process on the child's page and the staff start page, as inclusion tags so the children and home
views stay as they are. The child's page has already passed the permission and logged its read."""

from django import template

from modules.audit.services import audit_record_children
from modules.casework.selectors import attention_for

register = template.Library()


@register.inclusion_tag("casework/child_section.html", takes_context=True)
def casework_section(context, child):
    from modules.casework.views import process_context

    return {"child": child, "user": context["user"], **process_context(child)}


@register.inclusion_tag("casework/attention.html", takes_context=True)
def staff_attention(context):
    request = context["request"]
    rows = attention_for(user=request.user)
    # The start page names the children: each is a logged read (a list).
    audit_record_children(
        actor=request.user, action="list", child_ids=[row["child"].pk for row in rows], request=request
    )
    return {"rows": rows}
