"""The caseload page (processledare, local admins) and the start page's "today" (Barnkontakt,
Stödsamordnare). Each child shown is logged as a list read before the page is rendered."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from modules.accounts.decorators import rule_required
from modules.accounts.rules import may_see_caseload
from modules.audit.services import audit_record_children
from modules.casework.selectors import release_items
from modules.model_config.models import ModelItem
from modules.model_config.selectors import installed_release_current
from modules.overview.forms import CaseloadFilterForm
from modules.overview.selectors import CaseloadFilter, caseload, today_for

PAGE_SIZE = 25


@rule_required(may_see_caseload, denied=Http404)
def caseload_page(request):
    form = CaseloadFilterForm(request.GET or None)
    filters = CaseloadFilter()
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        filters = CaseloadFilter(
            unit_id=values["unit"].pk if values["unit"] else None,
            support_level_key=values["support_level"],
            needs=values["needs"],
            sort=values["sort"] or "name",
        )
    page = Paginator(caseload(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    audit_record_children(acting_user=request.user, action="list", child_ids=[c.pk for c in rows], request=request)
    release = installed_release_current()
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "overview/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "support_levels": {
                item.key: item.name for item in release_items(release=release, kind=ModelItem.Kind.SUPPORT_LEVEL)
            }
            if release
            else {},
        },
    )


def today_context(request, *, logged_ids=()) -> dict:
    """The start page's "today": read, and the children not already logged by the page logged, before render."""
    items = today_for(user=request.user)
    new_ids = sorted({item["child"].pk for item in items} - set(logged_ids))
    if new_ids:
        audit_record_children(acting_user=request.user, action="list", child_ids=new_ids, request=request)
    return {"today_items": items}
