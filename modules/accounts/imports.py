"""Units and staff from a file: reading CSV and XLSX, the downloadable template, and validating every row.

One file holds both: each row names an organisation and a unit; a row with a unit type (and, for a new
organisation, an organisation type) sets the unit up if it is missing; a row with a name, an e-mail and a role
invites that person into the unit. Rows are matched by key (organisation and unit by name, ignoring case;
people by e-mail), so importing the same file again changes nothing.

Validation reads what already exists in a fixed number of queries whatever the file's length (organisations,
units, the accounts and invitations of the file's e-mails), never one per row: 10,000 rows stay well inside a
request.
"""

import csv
import functools
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from backa_platform.core.validators import NAME_MAX_LENGTH, validate_phone_number
from modules.accounts.models import Invitation, StaffImportRow, User
from modules.organisations.models import Organisation, Unit

STAFF_ROLES = (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF)

# (field, Swedish column, English column, required column, English help for the template)
COLUMNS = (
    ("organisation", "Organisation", "Organisation", True, "The organisation's name, e.g. Ystads kommun."),
    (
        "organisation_kind",
        "Organisationstyp",
        "Organisation type",
        False,
        "Only for a new organisation: kommun, region or polis.",
    ),
    ("unit", "Enhet", "Unit", True, "The unit's name within the organisation, e.g. Förskolan Solrosen."),
    (
        "unit_kind",
        "Enhetstyp",
        "Unit type",
        False,
        "Only for a new unit: förskola, skola, elevhälsa, socialtjänst, bhv, barnmorskemottagning, bup, "
        "habilitering or polis.",
    ),
    (
        "full_name",
        "Namn",
        "Name",
        True,
        "The staff member's full name. Leave name, e-mail and role empty for a row that only sets up a unit.",
    ),
    ("email", "E-post", "E-mail", True, "The staff member's e-mail address: the invitation is sent there."),
    (
        "role",
        "Roll",
        "Role",
        True,
        "medarbetare (staff), processledare (process lead) or lokal administratör (local admin).",
    ),
    ("phone", "Telefon", "Phone", False, "Optional, e.g. 0411-57 70 00 or +46 70 123 45 67."),
)
FIELDS = tuple(column[0] for column in COLUMNS)
HELP_MARK = "#"  # a row whose first cell starts with it is help text, not data (the template's second row)


class ImportFileError(ServiceError):
    pass


@dataclass
class Row:
    line: int
    values: dict[str, str]
    status: str = StaffImportRow.Status.VALID
    errors: list[dict] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.status = StaffImportRow.Status.ERROR
        self.errors.append({"field": field_name, "message": message})


def _header_names() -> dict[str, str]:
    names = {}
    for name, swedish, english, *_rest in COLUMNS:
        names[swedish.casefold()] = name
        names[english.casefold()] = name
        names[name] = name
    return names


def _rows_from_table(table, *, file_name: str) -> list[Row]:
    """``table``: an iterator of rows (lists of cells). The first row not marked as help is the header."""
    header_names = _header_names()
    header = None
    rows = []
    for line, cells in enumerate(table, start=1):
        cells = ["" if cell is None else str(cell).strip() for cell in cells]
        if not any(cells) or cells[0].startswith(HELP_MARK):
            continue
        if header is None:
            header = [header_names.get(cell.casefold()) for cell in cells]
            missing = [
                swedish for name, swedish, _english, required, _help in COLUMNS if required and name not in header
            ]
            if missing:
                raise ImportFileError(
                    {
                        "file": [
                            _(
                                "Kolumnerna %(missing)s saknas i %(file)s. Första raden ska vara kolumnernas namn, "
                                "som i mallen."
                            )
                            % {"missing": ", ".join(missing), "file": file_name}
                        ]
                    },
                    code="missing_columns",
                )
            continue
        values = dict.fromkeys(FIELDS, "")
        for index, cell in enumerate(cells):
            if index < len(header) and header[index]:
                values[header[index]] = cell
        rows.append(Row(line=line, values=values))
        if len(rows) > settings.STAFF_IMPORT_MAX_ROWS:
            raise ImportFileError(
                {
                    "file": [
                        _("Filen har fler än %(max)s rader. Dela upp den.") % {"max": settings.STAFF_IMPORT_MAX_ROWS}
                    ]
                },
                code="too_many_rows",
            )
    if header is None:
        raise ImportFileError({"file": [_("Filen %(file)s är tom.") % {"file": file_name}]}, code="empty")
    return rows


def _csv_text(data: bytes, file_name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's "CSV" in Swedish Windows is cp1252
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        {
            "file": [
                _("%(file)s kunde inte läsas som text (CSV). Spara filen som CSV (UTF-8) eller XLSX.")
                % {"file": file_name}
            ]
        },
        code="malformed",
    )


def file_rows(*, data: bytes, file_name: str) -> tuple[str, list[Row]]:
    """The file's format ("csv" or "xlsx") and its data rows, or an ImportFileError naming what is wrong."""
    if len(data) > settings.STAFF_IMPORT_MAX_BYTES:
        raise ImportFileError(
            {
                "file": [
                    _("Filen är för stor (%(size)s MB). Högst %(max)s MB är tillåtet; dela upp den.")
                    % {
                        "size": f"{len(data) / 1_000_000:.1f}",
                        "max": f"{settings.STAFF_IMPORT_MAX_BYTES / 1_000_000:g}",
                    }
                ]
            },
            code="too_large",
        )
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return "xlsx", _xlsx_rows(data, file_name)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        text = _csv_text(data, file_name)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return "csv", _rows_from_table(csv.reader(io.StringIO(text), dialect), file_name=file_name)
        except csv.Error as error:
            raise ImportFileError(
                {"file": [_("%(file)s är inte en giltig CSV-fil.") % {"file": file_name}]}, code="malformed"
            ) from error
    raise ImportFileError(
        {"file": [_("Välj en fil av typen CSV eller XLSX (Excel).")]},
        code="file_type",
    )


def _xlsx_rows(data: bytes, file_name: str) -> list[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            {"file": [_("%(file)s kunde inte läsas som en Excel-fil (XLSX).") % {"file": file_name}]},
            code="malformed",
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return _rows_from_table(sheet.iter_rows(values_only=True), file_name=file_name)
    finally:
        workbook.close()


# --- the template ------------------------------------------------------------------------------


def _example_rows() -> list[list[str]]:
    return [
        ["Ystads kommun", "kommun", "Förskolan Solrosen", "förskola", "", "", "", ""],
        ["Ystads kommun", "", "Förskolan Solrosen", "", "Karin Exempel", "karin.exempel@example.se", "medarbetare", ""],
    ]


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with BOM, ";" as Excel in Sweden writes it): the header, an English help row
    (marked with #, skipped on import) and two example rows to overwrite."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column[1] for column in COLUMNS])
    writer.writerow([f"{HELP_MARK} {column[2]}: {column[4]}" for column in COLUMNS])
    writer.writerows(_example_rows())
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx() -> bytes:
    """The template as XLSX: the sheet to fill in (Swedish columns, two example rows) and a second sheet
    explaining each column in English and Swedish."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personal"
    sheet.append([column[1] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _example_rows():
        sheet.append(row)
    for letter in "ABCDEFGH":
        sheet.column_dimensions[letter].width = 24
    guide = workbook.create_sheet("Help - Hjälp")
    guide.append(["Kolumn", "Column", "Krävs / Required", "Explanation"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for _name, swedish, english, required, help_text in COLUMNS:
        guide.append([swedish, english, "ja / yes" if required else "nej / no", help_text])
    guide.column_dimensions["D"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- validation --------------------------------------------------------------------------------


def _choices_by_text(choices, *extra: tuple[str, str]) -> dict[str, str]:
    """Every way a value may be written: its code, and its label in Swedish and English, ignoring case."""
    names = {}
    for value, label in choices:
        names[value.casefold()] = value
        for language in ("sv", "en"):
            with translation.override(language):
                names[str(label).casefold()] = value
    for text, value in extra:
        names[text.casefold()] = value
    return names


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Validation:
    rows: list[Row]
    # What the file sets up: key -> (kind, the line that sets it up, the name as written there).
    new_organisations: dict[str, tuple[str, int, str]]
    new_units: dict[tuple[str, str], tuple[str, int, str]]
    organisations: dict[str, Organisation]
    units: dict[tuple[str, str], Unit]


def row_keys(row: Row) -> tuple[str, str]:
    return _key(row.values["organisation"]), _key(row.values["unit"])


@functools.cache
def _role_names() -> dict[str, str]:
    return _choices_by_text([(role.value, role.label) for role in STAFF_ROLES])


def role_of(row: Row) -> str:
    return _role_names()[row.values["role"].casefold()]


def rows_validate(rows: list[Row]) -> Validation:
    """Mark each row valid, unchanged (already in place: nothing to do) or in error, with precise messages."""
    organisation_kinds = _choices_by_text(Organisation.Kind.choices)
    unit_kinds = _choices_by_text(Unit.Kind.choices, ("bvc", Unit.Kind.CHILD_HEALTH), ("forskola", Unit.Kind.PRESCHOOL))
    roles = _role_names()

    organisations = {_key(o.name): o for o in Organisation.objects.all()}
    units = {(_key(u.organisation.name), _key(u.name)): u for u in Unit.objects.select_related("organisation")}
    emails = {row.values["email"].strip().lower() for row in rows if row.values["email"].strip()}
    # Plain tuples, not models: a second import of the same file reads 10,000 of each.
    accounts = {
        email: (role, unit_id, unit_name)
        for email, role, unit_id, unit_name in User.objects.filter(email__in=emails).values_list(
            "email", "role", "unit_id", "unit__name"
        )
    }
    waiting: dict[str, list[tuple[str, int | None]]] = {}
    for email, role, unit_id in Invitation.objects.filter(email__in=emails, accepted_at__isnull=True).values_list(
        "email", "role", "unit_id"
    ):
        waiting.setdefault(email, []).append((role, unit_id))

    # First pass: the organisations and units the file sets up (the first row giving a valid type for each), so a
    # row may name a unit that a later row sets up.
    new_organisations: dict[str, tuple[str, int]] = {}  # key -> (kind, defining line)
    new_units: dict[tuple[str, str], tuple[str, int]] = {}
    for row in rows:
        v = row.values
        org_key, unit_key = _key(v["organisation"]), _key(v["unit"])
        kind = organisation_kinds.get(v["organisation_kind"].casefold())
        if org_key and org_key not in organisations and kind:
            new_organisations.setdefault(org_key, (kind, row.line, " ".join(v["organisation"].split())))
        kind = unit_kinds.get(v["unit_kind"].casefold())
        if org_key and unit_key and (org_key, unit_key) not in units and kind:
            new_units.setdefault((org_key, unit_key), (kind, row.line, " ".join(v["unit"].split())))

    first_line_of_email: dict[str, int] = {}
    phone_errors: dict[str, str] = {}
    for row in rows:
        v = row.values
        for name in ("organisation", "unit", "full_name"):
            if len(v[name]) > NAME_MAX_LENGTH:
                row.error(name, _("Högst %(max)s tecken.") % {"max": NAME_MAX_LENGTH})
        org_key, unit_key = _key(v["organisation"]), _key(v["unit"])
        if not org_key:
            row.error("organisation", _("Ange organisationens namn."))
        if not unit_key:
            row.error("unit", _("Ange enhetens namn."))
        organisation = organisations.get(org_key)
        if org_key and organisation is None:
            kind = organisation_kinds.get(v["organisation_kind"].casefold()) if v["organisation_kind"] else None
            if v["organisation_kind"] and kind is None:
                row.error(
                    "organisation_kind",
                    _("Okänd organisationstyp «%(value)s». Ange kommun, region eller polis.")
                    % {"value": v["organisation_kind"]},
                )
            elif org_key not in new_organisations:
                row.error(
                    "organisation",
                    _(
                        "Okänd organisation «%(name)s». Ange organisationstyp (kommun, region eller polis) på en rad "
                        "för att lägga till den."
                    )
                    % {"name": v["organisation"]},
                )
            elif kind and kind != new_organisations[org_key][0]:
                row.error(
                    "organisation_kind",
                    _("Organisationen har en annan typ på rad %(line)s.") % {"line": new_organisations[org_key][1]},
                )
        elif organisation is not None and organisation.is_closed:
            row.error("organisation", _("Organisationen «%(name)s» är stängd.") % {"name": organisation.name})
        unit = units.get((org_key, unit_key))
        if org_key and unit_key and unit is None:
            kind = unit_kinds.get(v["unit_kind"].casefold()) if v["unit_kind"] else None
            if v["unit_kind"] and kind is None:
                row.error(
                    "unit_kind",
                    _("Okänd enhetstyp «%(value)s». Ange en av: %(kinds)s.")
                    % {
                        "value": v["unit_kind"],
                        "kinds": ", ".join(str(label).lower() for _v, label in Unit.Kind.choices),
                    },
                )
            elif (org_key, unit_key) not in new_units:
                row.error(
                    "unit",
                    _("Okänd enhet «%(unit)s» i %(organisation)s. Ange enhetstyp på en rad för att lägga till den.")
                    % {"unit": v["unit"], "organisation": v["organisation"]},
                )
            elif kind and kind != new_units[(org_key, unit_key)][0]:
                row.error(
                    "unit_kind",
                    _("Enheten har en annan enhetstyp på rad %(line)s.") % {"line": new_units[(org_key, unit_key)][1]},
                )
        elif unit is not None and unit.is_closed:
            row.error("unit", _("Enheten «%(name)s» är stängd.") % {"name": unit.name})

        person = [v["full_name"], v["email"], v["role"]]
        if not any(person):
            if v["phone"]:
                row.error("email", _("Ange namn, e-postadress och roll för den som telefonnumret gäller."))
            elif row.status == StaffImportRow.Status.VALID and unit is not None:
                row.status = StaffImportRow.Status.UNCHANGED  # a unit row for a unit already in place
            continue
        if not v["full_name"]:
            row.error("full_name", _("Ange namn."))
        role = roles.get(v["role"].casefold()) if v["role"] else None
        if not v["role"]:
            row.error("role", _("Ange roll."))
        elif role is None:
            row.error(
                "role",
                _("Okänd roll «%(value)s». Ange medarbetare, processledare eller lokal administratör.")
                % {"value": v["role"]},
            )
        if v["phone"]:
            if v["phone"] not in phone_errors:  # libphonenumber is the slowest check: once per distinct number
                try:
                    validate_phone_number(v["phone"])
                    phone_errors[v["phone"]] = ""
                except ValidationError as error:
                    phone_errors[v["phone"]] = " ".join(error.messages)
            if phone_errors[v["phone"]]:
                row.error("phone", phone_errors[v["phone"]])
        email = v["email"].strip().lower()
        if not email:
            row.error("email", _("Ange e-postadress."))
            continue
        try:
            validate_email(email)
        except ValidationError:
            row.error("email", _("Ogiltig e-postadress «%(value)s».") % {"value": v["email"]})
            continue
        if email in first_line_of_email:
            row.error(
                "email",
                _("E-postadressen %(email)s finns redan på rad %(line)s i filen.")
                % {"email": email, "line": first_line_of_email[email]},
            )
            continue
        first_line_of_email[email] = row.line
        account = accounts.get(email)
        if account is not None:
            account_role, account_unit_id, account_unit_name = account
            if account_role == role and unit is not None and account_unit_id == unit.pk:
                if row.status == StaffImportRow.Status.VALID:
                    row.status = StaffImportRow.Status.UNCHANGED
            else:
                row.error(
                    "email",
                    _(
                        "%(email)s har redan ett konto (%(role)s, %(unit)s). Ändra roll eller enhet på "
                        "personalsidan i stället."
                    )
                    % {
                        "email": email,
                        "role": User.Role(account_role).label,
                        "unit": account_unit_name or _("ingen enhet"),
                    },
                )
            continue
        invitations = waiting.get(email, [])
        if invitations:
            same = any(r == role and unit is not None and unit_id == unit.pk for r, unit_id in invitations)
            if same:
                if row.status == StaffImportRow.Status.VALID:
                    row.status = StaffImportRow.Status.UNCHANGED
            else:
                row.error(
                    "email",
                    _("%(email)s har redan en inbjudan med en annan roll eller enhet.") % {"email": email},
                )
    return Validation(rows, new_organisations, new_units, organisations, units)
