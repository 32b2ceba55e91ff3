"""Loggkontroll in words: the entries keep codes (a model label or the route that was read, an action code, a
child id, UTC time) so the hash chain never depends on a language; these turn them into what a reviewer reads,
in the reader's language and in local time, for the page and the CSV alike.

A page of entries costs two queries whatever its length: one for the children's names, one (a UNION) for the
dates that tell objects apart ("Bedömning 4 dec 2026")."""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.db.models import CharField, DateField, F, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.audit.models import AuditEntry

# Reads are logged with the route's name (modules/children/permissions.py): the page or API resource read.
_ROUTES = {
    **dict.fromkeys(("child", "child-detail", "api-child", "api-child-relationships"), gettext_lazy("Barnets akt")),
    **dict.fromkeys(("child-reveal-personnummer", "api-child-reveal-personnummer"), gettext_lazy("Personnummer")),
    **dict.fromkeys(("child-chronology", "api-child-chronology"), gettext_lazy("Kronologi")),
    "api-child-export": gettext_lazy("Export av barnets akt"),
    **dict.fromkeys(("child-contact", "api-child-contact"), gettext_lazy("Barnkontakt")),
    **dict.fromkeys(("child-support-coordinator", "api-child-support-coordinator"), gettext_lazy("Stödsamordnare")),
    **dict.fromkeys(
        ("child-team-add", "child-team-end", "api-child-team", "api-child-team-end"), gettext_lazy("Barnteam")
    ),
    **dict.fromkeys(("child-guardian-add", "api-child-guardians"), gettext_lazy("Vårdnadshavare")),
    **dict.fromkeys(("child-units", "api-child-units"), gettext_lazy("Enheter")),
    **dict.fromkeys(
        ("consent-new", "consent-withdraw", "api-child-consents", "api-child-consent-withdraw"),
        gettext_lazy("Samtycken"),
    ),
    "casework-process": gettext_lazy("Barnets process"),
    **dict.fromkeys(
        (
            "casework-concern",
            "casework-concern-acknowledge",
            "api-child-concerns",
            "api-child-concern-acknowledge",
        ),
        gettext_lazy("Uppmärksammad oro"),
    ),
    **dict.fromkeys(
        ("casework-assessment", "api-child-assessments", "api-child-compass", "api-child-assessment-draft"),
        gettext_lazy("Behovskompassen"),
    ),
    **dict.fromkeys(
        (
            "casework-plan-start",
            "casework-goal",
            "casework-action",
            "casework-action-done",
            "casework-review",
            "api-child-plan",
            "api-child-plan-goals",
            "api-child-plan-actions",
            "api-child-plan-action-done",
            "casework-goal-edit",
            "casework-goal-end",
            "casework-action-edit",
            "casework-action-end",
            "casework-follow-up",
            "casework-plan-revise",
            "casework-plan-agreement",
            "casework-plan-version",
            "api-child-plan-goal",
            "api-child-goal-end",
            "api-child-plan-action",
            "api-child-plan-action-end",
            "api-child-plan-follow-ups",
            "api-child-plan-versions",
            "api-child-plan-version",
            "api-child-plan-agreements",
        ),
        gettext_lazy("Barnets plan"),
    ),
    **dict.fromkeys(("casework-plan-pdf", "casework.plan_pdf"), gettext_lazy("Barnets plan (PDF)")),
    **dict.fromkeys(("casework-register-pdf", "casework.register_pdf"), gettext_lazy("Registerutdrag (PDF)")),
    **dict.fromkeys(("casework-close", "api-child-close"), gettext_lazy("Avsluta ärendet")),
    **dict.fromkeys(
        (
            "casework-meeting",
            "casework-meeting-detail",
            "casework-meeting-change",
            "casework-meeting-cancel",
            "casework-meeting-attendance",
            "casework-meeting-record",
            "api-child-meetings",
            "api-child-meeting",
            "api-child-meeting-cancel",
            "api-child-meeting-attendance",
            "api-child-meeting-record",
        ),
        gettext_lazy("Barnteamsmöten"),
    ),
    **dict.fromkeys(
        ("casework-meeting-kallelse-pdf", "casework.kallelse_pdf"), gettext_lazy("Kallelse till vårdnadshavare (PDF)")
    ),
    **dict.fromkeys(("casework-meeting-minutes-pdf", "casework.minutes_pdf"), gettext_lazy("Mötesanteckningar (PDF)")),
}

# Sign-in and its factors (modules/accounts/strong_auth.py): the step or factor concerned.
_SIGN_IN = {
    "sign-in:password": gettext_lazy("Inloggning: lösenord"),
    "sign-in:second-factor": gettext_lazy("Inloggning: kod från autentiseringsapp eller reservkod"),
    "sign-in:totp": gettext_lazy("Inloggning med lösenord och autentiseringsapp"),
    "sign-in:recovery-codes": gettext_lazy("Inloggning med lösenord och reservkod"),
    "sign-in:api-token": gettext_lazy("API-nyckel utfärdad efter tvåstegsverifiering"),
    "sign-in:lockout": gettext_lazy("Inloggningsspärr"),
    "factor:totp": gettext_lazy("Autentiseringsapp"),
    "factor:recovery-codes": gettext_lazy("Reservkoder"),
}

# Changes are logged with the row's model label: a name, and the date (if any) that tells rows apart.
_MODELS = {
    "children.child": (gettext_lazy("Barnets akt"), None),
    "children.concern": (gettext_lazy("Oro"), "raised_at"),
    "children.guardian": (gettext_lazy("Vårdnadshavare"), None),
    "children.childcontact": (gettext_lazy("Barnkontakt"), "started_at"),
    "children.supportcoordinator": (gettext_lazy("Stödsamordnare"), "started_at"),
    "children.teammember": (gettext_lazy("Barnteam"), "started_on"),
    "children.emergencyaccess": (gettext_lazy("Nödåtkomst"), "granted_at"),
    "consent.consent": (gettext_lazy("Samtycke"), "given_on"),
    "casework.assessment": (gettext_lazy("Bedömning"), "assessed_on"),
    "casework.plan": (gettext_lazy("Barnets plan"), None),
    "casework.goal": (gettext_lazy("Mål i Barnets plan"), None),
    "casework.action": (gettext_lazy("Insats i Barnets plan"), "due_on"),
    "casework.meeting": (gettext_lazy("Barnteamsmöte"), "starts_at"),
    "casework.assessmentdraft": (gettext_lazy("Utkast till bedömning"), None),
    "casework.caseclosure": (gettext_lazy("Avslutat ärende"), "closed_at"),
    "casework.retentionsetting": (gettext_lazy("Gallringsfrist"), None),
    "casework.planfollowup": (gettext_lazy("Uppföljning av Barnets plan"), "held_on"),
    "casework.planagreement": (gettext_lazy("Godkännande av Barnets plan"), "agreed_on"),
    "casework.documentsetting": (gettext_lazy("Dokument till familjer"), None),
    "accounts.user": (gettext_lazy("Användare"), None),
    "accounts.invitation": (gettext_lazy("Inbjudan"), None),
    "organisations.organisation": (gettext_lazy("Organisation"), None),
    "organisations.unit": (gettext_lazy("Enhet"), None),
    "accounts.staffchange": (gettext_lazy("Roll eller enhet"), "changed_at"),
    "accounts.staffimport": (gettext_lazy("Import av enheter och personal"), "created_at"),
    "identity.identityprovider": (gettext_lazy("Identitetsleverantör"), None),
    "identity.binding": (gettext_lazy("Koppling till identitetsleverantör"), None),
    "identity.identitysettings": (gettext_lazy("Inställningar för inloggning"), None),
}


@dataclass(frozen=True)
class ReadableEntry:
    entry: AuditEntry
    at: datetime  # local time (TIME_ZONE)
    child: str
    action: str
    object: str

    @property
    def at_text(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}"


def _child_labels(entries) -> dict[int, str]:
    from modules.children.models import Child

    ids = {entry.child_id for entry in entries if entry.child_id is not None}
    children = Child.objects.filter(pk__in=ids).only("given_name", "family_name", "personnummer_prefix")
    return {child.pk: f"{child.full_name} ({child.personnummer_masked})" for child in children}


def _object_dates(entries) -> dict[tuple[str, str], date]:
    """The distinguishing date of every dated object on the page, in one query."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if _MODELS.get(entry.object_type, (None, None))[1] and entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    queries = []
    for label, ids in wanted.items():
        field = _MODELS[label][1]
        model = apps.get_model(label)
        day = TruncDate(field) if model._meta.get_field(field).get_internal_type() == "DateTimeField" else F(field)
        queries.append(
            model.objects.filter(pk__in=ids)
            .order_by()
            .annotate(
                audit_label=Value(label, output_field=CharField()),
                audit_id=Cast("pk", CharField()),
                audit_day=Cast(day, DateField()),
            )
            .values_list("audit_label", "audit_id", "audit_day")
        )
    if not queries:
        return {}
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return {(label, pk): day for label, pk, day in union}


def _staff_changes(entries) -> dict[str, str]:
    """A role or unit change in words ("Nina Ny: Medarbetare → Processledare, BUP Ystad → Elevhälsan"), for every
    such entry on the page, in one query."""
    from modules.accounts.models import StaffChange

    ids = {int(e.object_id) for e in entries if e.object_type == "accounts.staffchange" and e.object_id.isdigit()}
    if not ids:
        return {}
    texts = {}
    for change in StaffChange.objects.filter(pk__in=ids).select_related("user", "old_unit", "new_unit"):
        parts = []
        if change.old_role != change.new_role:
            parts.append(f"{change.get_old_role_display()} → {change.get_new_role_display()}")
        if change.old_unit_id != change.new_unit_id:
            old = change.old_unit.name if change.old_unit else "—"
            parts.append(f"{old} → {change.new_unit.name if change.new_unit else '—'}")
        texts[str(change.pk)] = _("Roll eller enhet för %(name)s: %(change)s") % {
            "name": change.user.full_name,
            "change": ", ".join(parts),
        }
    return texts


def _object_label(entry: AuditEntry, dates, names: dict) -> str:
    kind = "retention:" if entry.object_type.startswith("retention:") else entry.object_type
    if kind not in names:
        label = _ROUTES.get(kind) or (_("Gallring") if kind == "retention:" else _MODELS.get(kind, (None,))[0])
        names[kind] = str(label) if label is not None else None
    if entry.object_type in _ROUTES or kind == "retention:":
        return names[kind]
    if entry.object_type in _SIGN_IN:
        label = str(_SIGN_IN[entry.object_type])
        # A factor removed by a local admin names whose it was (the account's id).
        return f"{label} ({_('användare')} {entry.object_id})" if entry.object_id else label
    if entry.object_type.startswith("identity:"):
        # A refused federated sign-in: the reason's code, in words (modules/identity/messages.py).
        from modules.identity.messages import failure_message

        return _("Identitetsleverantör %(id)s: %(reason)s") % {
            "id": entry.object_id or "–",
            "reason": failure_message(entry.object_type.removeprefix("identity:")),
        }
    if entry.object_type in _MODELS:
        name = names[kind]
        day = dates.get((entry.object_type, entry.object_id))
        return f"{name} {formats.date_format(day, 'j M Y')}" if day else name
    # A code this module does not know yet: shown as stored rather than hidden.
    return f"{entry.object_type} {entry.object_id}".strip()


def readable_entries(entries) -> list[ReadableEntry]:
    """The entries (a page: materialised once) in the active language and local time."""
    entries = list(entries)
    children = _child_labels(entries)
    dates = _object_dates(entries)
    # Each label translated once per call, not once per row (a gettext per row was a third of a CSV export).
    actions = {value: str(label) for value, label in AuditEntry.Action.choices}
    names: dict[str, str] = {}
    staff_changes = _staff_changes(entries)
    rows = []
    for entry in entries:
        if entry.child_id is None:
            child = ""
        else:
            child = children.get(entry.child_id) or _("Gallrat barn (id %(id)s)") % {"id": entry.child_id}
        rows.append(
            ReadableEntry(
                entry=entry,
                at=timezone.localtime(entry.at),
                child=child,
                action=actions.get(entry.action, entry.action),
                object=(
                    staff_changes.get(entry.object_id, _object_label(entry, dates, names))
                    if entry.object_type == "accounts.staffchange"
                    else _object_label(entry, dates, names)
                ),
            )
        )
    return rows
