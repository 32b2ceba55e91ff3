"""Reads on applications and checklists."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django_tenants.utils import tenant_context

from modules.accounts.models import Invitation, User
from modules.model_config.selectors import release_checklist_facts
from modules.organisations.selectors import organisations_checklist_facts
from modules.training.selectors import training_checklist_facts
from tenants.models import Tenant
from tenants.onboarding.models import Agreement, Application, Checklist, ChecklistItem
from tenants.provisioning.schema import quote_identifier

# Items whose state follows data this app can see itself.
AUTOMATIC_KEYS = frozenset({ChecklistItem.Key.AGREEMENT, ChecklistItem.Key.STAFF, ChecklistItem.Key.GO_LIVE})
# Items whose state the module holding the data answers for, inside the tenant's schema: (state, note), or None
# to leave the item to the person setting it by hand. Items in neither are set by hand.
ITEM_FACTS = {
    ChecklistItem.Key.ORGANISATIONS: organisations_checklist_facts,
    ChecklistItem.Key.TRAINING: training_checklist_facts,
    ChecklistItem.Key.RELEASE: release_checklist_facts,
}


@dataclass
class ItemView:
    key: str
    label: str
    state: str
    note: str
    automatic: bool
    updated_by_name: str = ""

    @property
    def state_label(self) -> str:
        return str(dict(ChecklistItem.State.choices)[self.state])


@dataclass
class ChecklistView:
    tenant: Tenant
    checklist: Checklist | None
    agreement: Agreement | None
    items: list[ItemView] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(item.state == ChecklistItem.State.DONE for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def applications_queue() -> QuerySet[Application]:
    return Application.objects.filter(status=Application.Status.SUBMITTED).order_by("created_at", "pk")


def applications_all() -> QuerySet[Application]:
    return Application.objects.select_related("decided_by", "tenant").order_by("-created_at", "-pk")


def _agreement_state(agreement: Agreement | None) -> tuple[str, str]:
    if agreement is None:
        return ChecklistItem.State.TODO, ""
    signatories = len(agreement.signatories.all())
    if agreement.document and signatories:
        return ChecklistItem.State.DONE, f"{signatories} undertecknare, {agreement.signed_on:%Y-%m-%d}"
    return ChecklistItem.State.IN_PROGRESS, "Undertecknat dokument saknas" if not agreement.document else ""


def _staff_state(tenant: Tenant, counts: tuple[int, int] | None = None) -> tuple[str, str]:
    if tenant.status in (Tenant.Status.ARCHIVED, Tenant.Status.REQUESTED, Tenant.Status.PROVISIONING):
        return ChecklistItem.State.TODO, ""
    if counts is None:
        with tenant_context(tenant):
            counts = (
                User.objects.exclude(role=User.Role.LOCAL_ADMIN).count(),
                Invitation.objects.filter(accepted_at__isnull=True).exclude(role=User.Role.LOCAL_ADMIN).count(),
            )
    staff, invited = counts
    if staff:
        return ChecklistItem.State.DONE, f"{staff} konton, {invited} inbjudningar öppna"
    if invited:
        return ChecklistItem.State.IN_PROGRESS, f"{invited} inbjudningar öppna"
    return ChecklistItem.State.TODO, ""


def _go_live_state(checklist: Checklist | None) -> tuple[str, str]:
    if checklist and checklist.actual_go_live:
        return ChecklistItem.State.DONE, f"{checklist.actual_go_live:%Y-%m-%d}"
    if checklist and checklist.planned_go_live:
        return ChecklistItem.State.IN_PROGRESS, f"planerad {checklist.planned_go_live:%Y-%m-%d}"
    return ChecklistItem.State.TODO, ""


def _staff_counts(tenants) -> dict[int, tuple[int, int]]:
    """(staff accounts, open staff invitations) per tenant, in one UNION ALL over the tenant schemas."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = 'accounts_invitation'")
        ready = {row[0] for row in cursor.fetchall()}
        parts = [
            f"SELECT {int(tenant.pk)}, "  # noqa: S608 - identifiers checked by quote_identifier
            f"(SELECT count(*) FROM {quote_identifier(tenant.schema_name)}.accounts_user WHERE role <> 'local_admin'), "
            f"(SELECT count(*) FROM {quote_identifier(tenant.schema_name)}.accounts_invitation "
            "WHERE accepted_at IS NULL AND role <> 'local_admin')"
            for tenant in tenants
            if tenant.schema_name in ready
        ]
        if not parts:
            return {}
        cursor.execute(" UNION ALL ".join(parts))
        return {pk: (staff, invited) for pk, staff, invited in cursor.fetchall()}


def checklist_views(tenants) -> dict[int, ChecklistView]:
    """The checklists of many tenants (the national console's list) in a handful of queries."""
    tenants = list(tenants)
    checklists = {c.tenant_id: c for c in Checklist.objects.filter(tenant__in=tenants).prefetch_related("items")}
    agreements = {a.tenant_id: a for a in Agreement.objects.filter(tenant__in=tenants).prefetch_related("signatories")}
    staff = _staff_counts(tenants)
    return {
        tenant.pk: checklist_view(
            tenant=tenant,
            checklist=checklists.get(tenant.pk),
            agreement=agreements.get(tenant.pk),
            staff_counts=staff.get(tenant.pk, (0, 0)),
        )
        for tenant in tenants
    }


_UNSET = object()
_STATE_ORDER = [ChecklistItem.State.TODO, ChecklistItem.State.IN_PROGRESS, ChecklistItem.State.DONE]


def checklist_view(
    *, tenant: Tenant, checklist=_UNSET, agreement=_UNSET, staff_counts: tuple[int, int] | None = None
) -> ChecklistView:
    if checklist is _UNSET:
        checklist = Checklist.objects.filter(tenant=tenant).prefetch_related("items").first()
    if agreement is _UNSET:
        agreement = Agreement.objects.filter(tenant=tenant).prefetch_related("signatories").first()
    stored = {item.key: item for item in checklist.items.all()} if checklist else {}
    view = ChecklistView(tenant=tenant, checklist=checklist, agreement=agreement)
    for key, label in ChecklistItem.Key.choices:
        item = stored.get(key)
        state, note = (item.state, item.note) if item else (ChecklistItem.State.TODO, "")
        automatic = key in AUTOMATIC_KEYS
        if key == ChecklistItem.Key.AGREEMENT:
            state, note = _agreement_state(agreement)
        elif key == ChecklistItem.Key.STAFF:
            state, note = _staff_state(tenant, staff_counts)
        elif key == ChecklistItem.Key.GO_LIVE:
            state, note = _go_live_state(checklist)
        facts = ITEM_FACTS.get(key)
        if facts is not None and tenant.status not in (Tenant.Status.ARCHIVED, Tenant.Status.PROVISIONING):
            with tenant_context(tenant):
                answer = facts()
            # The data may advance an item but not undo a person's "done": training held in a classroom, or
            # organisations set up elsewhere, are marked by hand.
            if answer is not None and _STATE_ORDER.index(answer[0]) >= _STATE_ORDER.index(state):
                state, note = answer
                automatic = True
        view.items.append(
            ItemView(
                key=key,
                label=str(label),
                state=state,
                note=note,
                automatic=automatic,
                updated_by_name=item.updated_by_name if item else "",
            )
        )
    return view
