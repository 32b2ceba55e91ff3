"""English for the Swedish UI strings, in every English catalogue of the project.

The catalogues: `locale/en` holds what lies outside `modules/` (`backa_platform/`, `api/`, `templates/`,
`tenants/`); each app in `modules/` has its own, `modules/<app>/locale/en`. Django merges them all, so a
msgid has one English wherever it appears: ENGLISH below is that English, applied to every catalogue.

    python locale/translate_en.py --extract   # makemessages for locale/en and every app, then as below
    python locale/translate_en.py             # apply ENGLISH, compile every .mo, list what is missing

Extraction runs without settings (`python -P -m django makemessages`: no database is started, and `-P`
keeps an app's `selectors.py` from shadowing the standard library's `selectors`); it is the
same as `manage.py makemessages -l en --ignore=modules ...` at the root plus
`cd modules/<app> && django-admin makemessages -l en` in each app. Strings still untranslated or fuzzy stay
Swedish in the English UI (Django falls back to the msgid): they are listed and the exit status is 1, and
tests/test_translations.py fails on them. A value is a pair (singular, plural) for a plural msgid.
"""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
# What makemessages at the root leaves out: the apps in modules/ have their own catalogues.
# The header every catalogue carries (makemessages writes placeholders into a new one).
HEADER = {
    "Project-Id-Version": "backa-platform",
    "Last-Translator": "Backa barnet platform",
    "Language-Team": "English",
    "Language": "en",
}
ROOT_IGNORE = [".venv", ".local", "modules", "tests", "deploy", "helm", "static", "staticfiles", "build", "*.egg-info"]

ENGLISH = {
    "Nytt lösenord": "New password",
    "Upprepa lösenordet": "Repeat the password",
    "Lösenorden är inte lika.": "The passwords do not match.",
    "Länken är ogiltig, har redan använts eller har gått ut. Be om en ny inbjudan.": (
        "The link is invalid, has already been used or has expired. Ask for a new invitation."
    ),
    "Nationell samordnare": "National coordinator",
    "Nationell innehållsredaktör": "National content editor",
    "Lokal administratör": "Local administrator",
    "Processledare": "Process lead",
    "Medarbetare": "Staff member",
    "e-postadress": "e-mail address",
    "namn": "name",
    "roll": "role",
    "aktiv": "active",
    "användare": "user",
    "Det finns redan ett konto med e-postadressen %(email)s.": "There is already an account with the e-mail address %(email)s.",
    "Inbjudan till Backa barnet": "Invitation to Backa barnet",
    "Hej!\n\nDu har bjudits in till Backa barnet. Välj ditt lösenord här (länken gäller i sju dagar och kan bara användas en gång):\n\n%(link)s\n": (
        "Hello!\n\nYou have been invited to Backa barnet. Choose your password here (the link is valid for seven "
        "days and can be used once):\n\n%(link)s\n"
    ),
    "Hoppa till innehållet": "Skip to content",
    "Nationell plattform": "National platform",
    "Huvudmeny": "Main menu",
    "Logga ut": "Sign out",
    "Logga in": "Sign in",
    "Språk": "Language",
    "Byt": "Change",
    "tidig och samordnad hjälp till barn och unga": "early and coordinated support for children and young people",
    "Backa barnet – nationell plattform": "Backa barnet – national platform",
    "Här ansluter kommuner och regioner till Backa barnet, och här förvaltas modellens innehåll och utbildningsmaterial.": (
        "Here municipalities and regions join Backa barnet, and the model's content and training material are "
        "maintained."
    ),
    "Inloggad som %(name)s (%(role)s).": "Signed in as %(name)s (%(role)s).",
    "Välj lösenord": "Choose a password",
    "Välkommen till Backa barnet": "Welcome to Backa barnet",
    "Välj ett lösenord för %(email)s (minst 12 tecken).": "Choose a password for %(email)s (at least 12 characters).",
    "Spara lösenord och logga in": "Save the password and sign in",
    "E-postadress": "E-mail address",
    "Lösenord": "Password",
    "Välkommen, %(name)s (%(role)s).": "Welcome, %(name)s (%(role)s).",
    "Logga in för att arbeta med Backa barnet i din kommun eller region.": (
        "Sign in to work with Backa barnet in your municipality or region."
    ),
    "Nationell (central)": "National (central)",
    "Kommun": "Municipality",
    "Region": "Region",
    "Ansökt": "Applied",
    "Etableras": "Provisioning",
    "Införande": "Onboarding",
    "Aktiv": "Active",
    "Pausad": "Suspended",
    "Arkiverad": "Archived",
    "typ": "kind",
    "organisationsnummer": "organisation number",
    "län": "county",
    "status": "status",
    "Skapad": "Created",
    "Domän tillagd": "Domain added",
    "Status ändrad": "Status changed",
    "Ogiltig subdomän %(value)s: använd 1–63 gemena bokstäver a–z, siffror och bindestreck, inte först eller sist.": (
        "Invalid subdomain %(value)s: use 1–63 lower-case letters a–z, digits and hyphens, not first or last."
    ),
    "Subdomänen %(value)s är reserverad.": "The subdomain %(value)s is reserved.",
    "Subdomänen %(value)s är redan tagen.": "The subdomain %(value)s is already taken.",
    "Typen måste vara kommun eller region.": "The kind must be municipality or region.",
    "Det finns redan en instans för organisationsnummer %(value)s.": (
        "There is already an instance for organisation number %(value)s."
    ),
    "Ogiltigt organisationsnummer (%(value)s): ange tio siffror med rätt kontrollsiffra, t.ex. 212000-1173.": (
        "Invalid organisation number (%(value)s): give ten digits with a correct check digit, e.g. 212000-1173."
    ),
    # --- Shared words and corrections (one English per msgid across every catalogue) ---------------
    "Kontot är inaktiverat.": "The account is deactivated.",
    "Ogiltig sida.": "Invalid page.",
    "Telefon": "Phone",
    "E-post": "E-mail",
    "Namn": "Name",
    "Typ": "Kind",
    "Status": "Status",
    "Roll": "Role",
    "Organisation": "Organisation",
    "Adress": "Address",
    "Tid": "Time",
    "Användare": "User",
    "Spara": "Save",
    "Avbryt": "Cancel",
    "Ändra": "Change",
    "Ändrade": "Changed",
    "Åtgärd": "Action",
    "Lägg till": "Add",
    "Ingen.": "None.",
    "Barn": "Children",
    "Vad har du uppmärksammat?": "What have you noticed?",
    "Uppmärksamma en oro": "Raise a concern",
    "ÅÅÅÅMMDD-NNNN. Finns barnet redan registrerat hittas den befintliga akten.": (
        "YYYYMMDD-NNNN. If the child is already registered, the existing record is found."
    ),
    "Beskriv vad du har uppmärksammat, eller markera att du är barnkontakt.": (
        "Describe what you have noticed, or tick that you are the named contact."
    ),
    "Datumet i numret finns inte (för samordningsnummer läggs 60 till dagen).": (
        "The date in the number does not exist (coordination numbers add 60 to the day)."
    ),
    "Beskriv vad du har uppmärksammat, eller registrera dig som barnets barnkontakt.": (
        "Describe what you have noticed, or register as the child's named contact."
    ),
    "%(organisation)s omfattas inte av något giltigt samtycke för barnet. Registrera ett samtycke som omfattar organisationen, eller ange en rättslig grund.": (
        "%(organisation)s is not covered by any valid consent for the child. Record a consent covering the "
        "organisation, or give a legal ground."
    ),
    "Du har inga barn i din lista. Du ser ett barn när du är dess barnkontakt, stödsamordnare, med i dess barnteam eller har uppmärksammat en oro för det.": (
        "You have no children in your list. You see a child when you are its named contact, lead professional, "
        "in its team, or have raised a concern about it."
    ),
    "Barnet fanns redan registrerat; din uppgift har lagts till i den akten.": (
        "The child was already registered; what you entered was added to that record."
    ),
    "Ange vårdnadshavarens namn.": "Enter the guardian's name.",
    "Lägg till vårdnadshavare": "Add a guardian",
    "Ändra enheter": "Change units",
    "Lägg till vårdnadshavare för %(name)s": "Add a guardian for %(name)s",
    "Enheter för %(name)s": "Units for %(name)s",
    "områden": "areas",
    "hur brådskande": "urgency",
    "vårdnadshavarna vet om oron": "the guardians know about the concern",
    "Inom några dagar": "Within a few days",
    "Brådskande": "Urgent",
    "Kan vänta": "Can wait",
    # --- API ----------------------------------------------------------------------------------------
    "Okänd användare.": "Unknown user.",
    "Ogiltig token.": "Invalid token.",
    "Token har gått ut. Hämta en ny med POST /api/token/.": "The token has expired. Fetch a new one with POST /api/token/.",
    "Okänd enhet.": "Unknown unit.",
    "sida %(number)s av %(pages)s": "page %(number)s of %(pages)s",
    "Sida %(number)s av %(pages)s": "Page %(number)s of %(pages)s",
    "Sidor": "Pages",
    "Föregående sida": "Previous page",
    "Nästa sida": "Next page",
    "Okänd eller inaktiverad medarbetare.": "Unknown or deactivated staff member.",
    "Okänd vårdnadshavare för barnet.": "Unknown guardian for this child.",
    "Okänd organisation.": "Unknown organisation.",
    "Ingen release är installerad ännu.": "No release is installed yet.",
    "Den releasen är inte installerad här.": "That release is not installed here.",
    "Ange vilken release som ska låsas.": "Say which release to pin.",
    "Pausa instansen innan den exporteras.": "Suspend the instance before exporting it.",
    "Endast nationella samordnare har tillgång.": "Only national coordinators have access.",
    "Fel e-postadress eller lösenord.": "Wrong e-mail address or password.",
    # --- Site navigation (templates/base.html) ------------------------------------------------------
    "Innehåll": "Content",
    "Releaser": "Releases",
    "Utbildning": "Training",
    "Resurser och kontakter": "Resources and contacts",
    "Release": "Release",
    "Ansök": "Apply",
    "Konsol": "Console",
    # --- National console (templates/console, tenants/console) --------------------------------------
    "Konsolen": "Console",
    "Instanser": "Instances",
    "Ansökningar": "Applications",
    "Ansökan": "Application",
    "Organisationsnummer": "Organisation number",
    "Län": "County",
    "Önskad subdomän": "Requested subdomain",
    "Kontaktperson": "Contact person",
    "Samverkansparter": "Partner organisations",
    "instansen": "the instance",
    "Beslut": "Decision",
    "Spara beslut": "Save the decision",
    "av": "by",
    "av %(total)s": "of %(total)s",
    "Händelser": "Events",
    "Ansökningar att besluta": "Applications to decide",
    "Subdomän": "Subdomain",
    "Inkommen": "Received",
    "Inga ansökningar väntar.": "No applications are waiting.",
    "Beslutade": "Decided",
    "Av": "By",
    "När": "When",
    "Skäl": "Reason",
    "Nationell konsol": "National console",
    "Schema": "Schema",
    "Markera driftstart": "Mark as live",
    "Livscykel": "Lifecycle",
    "Skäl till paus": "Reason for suspending",
    "Pausa": "Suspend",
    "Skäl till återaktivering": "Reason for reactivating",
    "Återaktivera": "Reactivate",
    "Exportera (pg_dump, verifieras)": "Export (pg_dump, verified)",
    "Skäl till arkivering": "Reason for archiving",
    "Skriv %(schema)s för att bekräfta att schemat tas bort": "Type %(schema)s to confirm that the schema is removed",
    "Arkivera": "Archive",
    "Exporter": "Exports",
    "verifierad": "verified",
    "ej verifierad": "not verified",
    "Etablering": "Provisioning",
    "Steg": "Step",
    "Detaljer": "Details",
    "Försök igen": "Try again",
    "Instansen skapades utan etableringsjobb.": "The instance was created without a provisioning job.",
    "Vad": "What",
    "Vem": "Who",
    "Varför": "Why",
    "Nationell konsol: instanser": "National console: instances",
    "%(n)s ansökan väntar på beslut": (
        "%(n)s application is waiting for a decision",
        "%(n)s applications are waiting for a decision",
    ),
    "Filtrera instanser": "Filter instances",
    "Sök namn eller organisationsnummer": "Search for a name or organisation number",
    "Alla": "All",
    "Filtrera": "Filter",
    "%(n)s instans": ("%(n)s instance", "%(n)s instances"),
    "Modellversion": "Model version",
    "Senast aktiv": "Last active",
    "Inga instanser matchar filtret.": "No instances match the filter.",
    "Exporten har startat och visas här när den är verifierad.": (
        "The export has started and is shown here once it is verified."
    ),
    "%(name)s är nu i drift.": "%(name)s is now live.",
    "Etableringen körs igen från steget som misslyckades.": "Provisioning runs again from the step that failed.",
    "Ange ett skäl.": "Give a reason.",
    "%(name)s är pausad.": "%(name)s is suspended.",
    "%(name)s är återaktiverad.": "%(name)s is reactivated.",
    "%(name)s är arkiverad.": "%(name)s is archived.",
    "Ansökan är beviljad; instansen sätts upp.": "The application is approved; the instance is being set up.",
    "Ansökan är avslagen.": "The application is rejected.",
    # --- A paused, archived or half-built instance (tenants/middleware.py, templates/tenant_closed.html) --
    "Instansen är pausad": "The instance is suspended",
    "Instansen är arkiverad": "The instance is archived",
    "Instansen sätts upp": "The instance is being set up",
    "Den här instansen av Backa barnet är pausad. Inga uppgifter har tagits bort. Kontakta den nationella samordningen om du har frågor.": (
        "This instance of Backa barnet is suspended. No data has been removed. Contact the national "
        "coordination team if you have questions."
    ),
    "Den här instansen av Backa barnet är arkiverad och inte längre i drift.": (
        "This instance of Backa barnet is archived and no longer in service."
    ),
    "Den här instansen av Backa barnet håller på att sättas upp. Försök igen om en stund.": (
        "This instance of Backa barnet is being set up. Try again in a moment."
    ),
    # --- Tenant lifecycle (tenants/models.py, tenants/services.py) -----------------------------------
    "Ansökan inkommen": "Application received",
    "Ansökan beviljad": "Application approved",
    "Ansökan avslagen": "Application rejected",
    "Etablering startad": "Provisioning started",
    "Etablering klar": "Provisioning finished",
    "Etablering misslyckades": "Provisioning failed",
    "Återaktiverad": "Reactivated",
    "Exporterad": "Exported",
    "Checklista uppdaterad": "Checklist updated",
    "Driftstart": "Go-live",
    "Tenants can only be managed from the central (public) schema.": (
        "Tenants can only be managed from the central (public) schema."
    ),
    "Ange ett skäl: varje ändring av en instans status sparas med skäl.": (
        "Give a reason: every change of an instance's status is saved with its reason."
    ),
    "Den nationella instansen kan inte pausas eller arkiveras.": "The national instance cannot be suspended or archived.",
    "%(name)s kan inte pausas när status är %(status)s; bara en instans i införande eller drift kan pausas.": (
        "%(name)s cannot be suspended while its status is %(status)s; only an instance in onboarding or live "
        "can be suspended."
    ),
    "%(name)s kan inte återaktiveras när status är %(status)s; bara en pausad instans kan återaktiveras.": (
        "%(name)s cannot be reactivated while its status is %(status)s; only a suspended instance can be reactivated."
    ),
    "Pausa %(name)s innan den exporteras, så att inga uppgifter ändras under exporten.": (
        "Suspend %(name)s before exporting it, so that no data changes during the export."
    ),
    "%(name)s kan inte arkiveras när status är %(status)s: pausa instansen och exportera den först.": (
        "%(name)s cannot be archived while its status is %(status)s: suspend the instance and export it first."
    ),
    "Exportera %(name)s (och låt exporten verifieras) innan instansen arkiveras.": (
        "Export %(name)s (and let the export be verified) before the instance is archived."
    ),
    "Bekräfta arkiveringen genom att skriva instansens schemanamn, %(schema)s.": (
        "Confirm the archiving by typing the instance's schema name, %(schema)s."
    ),
    # --- Onboarding: applications and checklist (tenants/onboarding, templates/onboarding) -----------
    "Checklistans punkter": "Checklist items",
    "Punkt": "Item",
    "Kommentar": "Comment",
    "följer uppgifterna": "follows the data",
    "Status för": "Status for",
    "Kommentar för": "Comment for",
    "Planerad driftstart": "Planned go-live",
    "Faktisk driftstart": "Actual go-live",
    "Överenskommelse": "Agreement",
    "Undertecknad": "Signed",
    "Ansök om att ansluta till Backa barnet": "Apply to join Backa barnet",
    "Kommuner och regioner ansöker här. En nationell samordnare går igenom ansökan; när den beviljas sätts er egen instans upp på några sekunder och kontaktpersonen får en inbjudan.": (
        "Municipalities and regions apply here. A national coordinator reviews the application; once it is "
        "approved, your own instance is set up within seconds and the contact person receives an invitation."
    ),
    "Skicka ansökan": "Send the application",
    "Införande av Backa barnet": "Onboarding to Backa barnet",
    "Checklista": "Checklist",
    "Spara datum": "Save the date",
    "Undertecknad överenskommelse": "Signed agreement",
    "Spara överenskommelsen": "Save the agreement",
    "Ansökan mottagen": "Application received",
    "Tack, ansökan är mottagen": "Thank you, the application has been received",
    "Ärendenummer %(id)s. En bekräftelse har skickats till %(email)s.": (
        "Reference number %(id)s. A confirmation has been sent to %(email)s."
    ),
    "Önskad adress": "Requested address",
    "Organisationens namn": "Organisation's name",
    "Tio siffror, t.ex. 212000-1173.": "Ten digits, e.g. 212000-1173.",
    "Välj län": "Choose a county",
    "Önskad adress (subdomän)": "Requested address (subdomain)",
    "Gemena bokstäver a–z, siffror och bindestreck, t.ex. ystad.": "Lower-case letters a–z, digits and hyphens, e.g. ystad.",
    "Kontaktpersonens e-post": "Contact person's e-mail",
    "Kontaktpersonens telefon": "Contact person's phone",
    "Bevilja": "Approve",
    "Avslå": "Reject",
    "Krävs vid avslag.": "Required when rejecting.",
    "Skriv instansens schemanamn för att bekräfta": "Type the instance's schema name to confirm",
    "Parter": "Parties",
    "Undertecknad den": "Signed on",
    "Undertecknat dokument (PDF, högst 10 MB)": "Signed document (PDF, at most 10 MB)",
    "Undertecknare 1, namn": "Signatory 1, name",
    "Undertecknare 1, roll": "Signatory 1, role",
    "Undertecknare 1, part": "Signatory 1, party",
    "Undertecknare 2, namn": "Signatory 2, name",
    "Undertecknare 2, roll": "Signatory 2, role",
    "Undertecknare 2, part": "Signatory 2, party",
    "Undertecknare 3, namn": "Signatory 3, name",
    "Undertecknare 3, roll": "Signatory 3, role",
    "Undertecknare 3, part": "Signatory 3, party",
    "Polisen": "The police",
    "Beviljad": "Approved",
    "Avslagen": "Rejected",
    "organisationens namn": "organisation's name",
    "önskad subdomän": "requested subdomain",
    "kontaktperson": "contact person",
    "kontaktpersonens e-post": "contact person's e-mail",
    "kontaktpersonens telefon": "contact person's phone",
    "samverkansparter": "partner organisations",
    "planerad driftstart": "planned go-live",
    "faktisk driftstart": "actual go-live",
    "Organisationer och enheter upplagda": "Organisations and units set up",
    "Medarbetare inbjudna": "Staff invited",
    "Utbildning genomförd": "Training completed",
    "Modellens konfiguration införd": "Model configuration installed",
    "Ej påbörjad": "Not started",
    "Pågår": "In progress",
    "Klar": "Done",
    "kommentar": "comment",
    "parter": "parties",
    "undertecknad den": "signed on",
    "undertecknat dokument": "signed document",
    "part": "party",
    "Ange önskad subdomän.": "Enter the requested subdomain.",
    "Subdomänen får bara innehålla gemener: skriv %(value)s.": "The subdomain may only contain lower case: write %(value)s.",
    "Subdomänen får vara högst 63 tecken lång (den är %(n)s).": (
        "The subdomain may be at most 63 characters long (it is %(n)s)."
    ),
    "Subdomänen %(value)s är redan sökt av en annan organisation.": (
        "The subdomain %(value)s has already been requested by another organisation."
    ),
    "Ange organisationens namn, t.ex. Ystads kommun.": "Enter the organisation's name, e.g. Ystads kommun.",
    "Organisationsnummer %(value)s är redan anslutet till Backa barnet.": (
        "Organisation number %(value)s is already connected to Backa barnet."
    ),
    "Det finns redan en ansökan för organisationsnummer %(value)s, inkommen %(date)s.": (
        "There is already an application for organisation number %(value)s, received %(date)s."
    ),
    "Välj kommun eller region.": "Choose municipality or region.",
    "Välj ett av Sveriges 21 län.": "Choose one of Sweden's 21 counties.",
    "Ange kontaktpersonens namn.": "Enter the contact person's name.",
    "Ange en giltig e-postadress till kontaktpersonen, t.ex. namn@kommun.se.": (
        "Enter a valid e-mail address for the contact person, e.g. namn@kommun.se."
    ),
    "Välj minst en samverkanspart: kommun, region eller polis.": (
        "Choose at least one partner organisation: municipality, region or police."
    ),
    "Okänd samverkanspart: %(value)s.": "Unknown partner organisation: %(value)s.",
    "Det finns redan en ansökan för organisationsnummer %(value)s.": (
        "There is already an application for organisation number %(value)s."
    ),
    "Ansökan är redan beslutad (%(status)s).": "The application has already been decided (%(status)s).",
    "Organisationen är redan ansluten.": "The organisation is already connected.",
    "Ange ett skäl till avslaget; det skickas till den sökande.": (
        "Give a reason for the rejection; it is sent to the applicant."
    ),
    "Okänd punkt på checklistan.": "Unknown checklist item.",
    "Den här punkten följer uppgifterna i systemet och ändras inte för hand.": (
        "This item follows the data in the system and is not changed by hand."
    ),
    "Välj status: ej påbörjad, pågår eller klar.": "Choose a status: not started, in progress or done.",
    "Filen är för stor (%(size)s MB); högst %(max)s MB.": "The file is too large (%(size)s MB); at most %(max)s MB.",
    "Ladda upp den undertecknade överenskommelsen som PDF.": "Upload the signed agreement as a PDF.",
    "Välj överenskommelsens parter: kommun, region och/eller polis.": (
        "Choose the parties to the agreement: municipality, region and/or police."
    ),
    "Ange datum då överenskommelsen undertecknades.": "Enter the date the agreement was signed.",
    "Undertecknandedatumet kan inte ligga i framtiden.": "The signing date cannot be in the future.",
    "Ange minst en undertecknare med namn och roll.": "Enter at least one signatory with name and role.",
    "Varje undertecknare behöver både namn och roll.": "Each signatory needs both a name and a role.",
    "Varje undertecknare ska företräda en av överenskommelsens parter.": (
        "Each signatory must represent one of the parties to the agreement."
    ),
    "Driftstart kan bara markeras för en instans i införande (status nu: %(status)s).": (
        "Go-live can only be marked for an instance in onboarding (status now: %(status)s)."
    ),
    "Driftstart kräver att alla punkter är klara. Kvar: %(items)s.": (
        "Go-live requires every item to be done. Remaining: %(items)s."
    ),
    "Vi har tagit emot er ansökan till Backa barnet": "We have received your application to Backa barnet",
    "Hej %(name)s!\n\nTack för ansökan från %(organisation)s (organisationsnummer %(number)s) om att ansluta till Backa barnet med adressen %(subdomain)s. Ärendenummer: %(id)s.\n\nEn nationell samordnare går igenom ansökan och ni får besked via e-post.\n": (
        "Hello %(name)s!\n\nThank you for the application from %(organisation)s (organisation number %(number)s) "
        "to join Backa barnet with the address %(subdomain)s. Reference number: %(id)s.\n\nA national "
        "coordinator will review the application and you will hear from us by e-mail.\n"
    ),
    "Er ansökan till Backa barnet är beviljad": "Your application to Backa barnet is approved",
    "Hej %(name)s!\n\nAnsökan från %(organisation)s är beviljad. Er instans sätts upp nu; ni får strax en separat inbjudan med en länk för att välja lösenord.\n": (
        "Hello %(name)s!\n\nThe application from %(organisation)s is approved. Your instance is being set up "
        "now; you will shortly receive a separate invitation with a link to choose a password.\n"
    ),
    "Besked om er ansökan till Backa barnet": "Decision on your application to Backa barnet",
    "Hej %(name)s!\n\nAnsökan från %(organisation)s har tyvärr avslagits. Skäl: %(reason)s\n": (
        "Hello %(name)s!\n\nUnfortunately, the application from %(organisation)s has been rejected. "
        "Reason: %(reason)s\n"
    ),
    "Checklistan är uppdaterad.": "The checklist is updated.",
    "Planerad driftstart är sparad.": "The planned go-live is saved.",
    "Överenskommelsen är sparad.": "The agreement is saved.",
    # --- Provisioning (tenants/provisioning) --------------------------------------------------------
    "Väntar": "Waiting",
    "Misslyckades": "Failed",
    "Skapa schema": "Create the schema",
    "Skapa domän": "Create the domain",
    "Installera modellens aktuella konfiguration": "Install the model's current configuration",
    "Bjud in första lokala administratören": "Invite the first local administrator",
    "Öppna instansen": "Open the instance",
    "Hoppades över": "Skipped",
    "Etableringen är redan klar.": "Provisioning has already finished.",
    "Domänen %(domain)s används redan av en annan instans.": "The domain %(domain)s is already used by another instance.",
    # --- Releases of the model's configuration (tenants/releases, templates/releases) ----------------
    "Inga skillnader.": "No differences.",
    "Tillagda": "Added",
    "Borttagna": "Removed",
    "Ändringar i %(name)s": "Changes in %(name)s",
    "Fält": "Field",
    "Före": "Before",
    "Efter": "After",
    "Ny kurs": "New course",
    "Spara kursen": "Save the course",
    "Lektioner": "Lessons",
    "Ny lektion": "New lesson",
    "Tillbaka till utkasten": "Back to the drafts",
    "Modellens innehåll – utkast": "The model's content – drafts",
    "Ändringar här syns inte för kommuner och regioner förrän de publiceras som en release.": (
        "Changes here are not visible to municipalities and regions until they are published as a release."
    ),
    "Förhandsgranska och publicera": "Preview and publish",
    "Publicerade releaser": "Published releases",
    "Inga utkast.": "No drafts.",
    "Lägg till i %(label)s": "Add to %(label)s",
    "Kurser": "Courses",
    "obligatorisk": "required",
    "Inga kurser.": "No courses.",
    "utkast": "draft",
    "Nytt utkast: %(label)s": "New draft: %(label)s",
    "Spara utkast": "Save the draft",
    "Ta bort utkastet": "Delete the draft",
    "Förhandsvisning": "Preview",
    "Förhandsvisning på svenska": "Preview in Swedish",
    "Förhandsvisning på engelska": "Preview in English",
    "Spara lektionen": "Save the lesson",
    "Bilagor": "Attachments",
    "Inga bilagor.": "No attachments.",
    "Lokala resurser och kontakter": "Local resources and contacts",
    "Det här är er egen information. Den ändras aldrig av en ny release av modellen.": (
        "This is your own information. A new release of the model never changes it."
    ),
    "tel.": "tel.",
    "Inga ännu.": "None yet.",
    "Förhandsgranska release": "Preview a release",
    "Förhandsgranska release %(version)s": "Preview release %(version)s",
    "Skillnader mot release %(version)s": "Differences from release %(version)s",
    "Första releasen: allt är nytt": "First release: everything is new",
    "Publicera": "Publish",
    "Publicera och rulla ut": "Publish and roll out",
    "Release %(version)s": "Release %(version)s",
    "Publicerad": "Published",
    "Kontrollsumma (SHA-256)": "Checksum (SHA-256)",
    "Anteckningar": "Notes",
    "Första releasen": "First release",
    "Utrullningar": "Rollouts",
    "Ingen utrullning.": "No rollout.",
    "Till utkasten": "To the drafts",
    "Version": "Version",
    "Ingen release är publicerad ännu.": "No release has been published yet.",
    "Startad": "Started",
    "Installerade": "Installed",
    "Misslyckade": "Failed",
    "Utrullning av release %(version)s": "Rollout of release %(version)s",
    "Klart": "Finished",
    "väntar": "waiting",
    "misslyckade": "failed",
    "låsta till annan release": "pinned to another release",
    "Läge per kommun och region": "State per municipality and region",
    "Instans": "Instance",
    "Läge": "State",
    "Installerad": "Installed",
    "Orsak": "Cause",
    "Försök igen för %(name)s": "Try again for %(name)s",
    "Modellens release": "The model's release",
    "Gällande release": "Current release",
    "Val": "Choice",
    "Låst till release %(version)s": "Pinned to release %(version)s",
    "Följer senaste release": "Follows the latest release",
    "Installerade releaser (behålls för äldre dokumentation)": "Installed releases (kept for older records)",
    "Följ senaste release": "Follow the latest release",
    "Lås till release %(version)s": "Pin to release %(version)s",
    "Nyare releaser": "Newer releases",
    "Vad ändras jämfört med er gällande release": "What changes compared with your current release",
    "Inför release %(version)s och lås": "Install release %(version)s and pin it",
    "Ni har den senaste releasen.": "You have the latest release.",
    "Detaljerna stämmer inte med formatet för %(kind)s: %(message)s": (
        "The details do not match the format for %(kind)s: %(message)s"
    ),
    "Paketets kontrollsumma stämmer inte: paketet har ändrats och installeras inte.": (
        "The package's checksum does not match: the package has been altered and is not installed."
    ),
    "Paketet följer inte schemat vid %(where)s: %(message)s": (
        "The package does not follow the schema at %(where)s: %(message)s"
    ),
    "Paketet har dubbla nycklar i %(where)s.": "The package has duplicate keys in %(where)s.",
    "version": "version",
    "paket": "package",
    "kontrollsumma (SHA-256)": "checksum (SHA-256)",
    "releaseanteckningar": "release notes",
    "skillnader": "differences",
    "publicerad": "published",
    "Låst till annan release": "Pinned to another release",
    "läge": "state",
    "orsak": "cause",
    "installerad": "installed",
    "Utkast ändrat": "Draft changed",
    "Utrullning startad": "Rollout started",
    "Installation misslyckades": "Installation failed",
    "Nytt försök": "Retried",
    "Låst": "Pinned",
    "Följer senaste": "Follows the latest",
    "Releaser publiceras bara från den nationella plattformen.": "Releases are only published from the national platform.",
    "Skriv releaseanteckningar: vad har ändrats och varför.": "Write release notes: what has changed and why.",
    "Inget har ändrats sedan release %(version)s.": "Nothing has changed since release %(version)s.",
    "Paketets version stämmer inte med releasens.": "The package's version does not match the release's.",
    "Releaser installeras i kommuner och regioner, inte i den nationella plattformen.": (
        "Releases are installed in municipalities and regions, not in the national platform."
    ),
    "Instansens schema %(schema)s saknar modellkonfigurationens tabeller (inte migrerat).": (
        "The instance's schema %(schema)s lacks the model configuration's tables (not migrated)."
    ),
    "Instansen har redan en annan release %(version)s med en annan kontrollsumma.": (
        "The instance already has another release %(version)s with a different checksum."
    ),
    "Bara en misslyckad installation kan försökas igen.": "Only a failed installation can be tried again.",
    "Nyckel": "Key",
    "Ordning": "Order",
    "Namn (svenska)": "Name (Swedish)",
    "Namn (engelska)": "Name (English)",
    "Beskrivning (svenska)": "Description (Swedish)",
    "Beskrivning (engelska)": "Description (English)",
    "Detaljer (JSON)": "Details (JSON)",
    "Stödfrågor, nivåer, delområden, poler eller avsnitt, med svensk och engelsk text.": (
        "Guiding questions, levels, sub-areas, poles or sections, with Swedish and English text."
    ),
    "Ogiltig JSON på rad %(line)s: %(message)s": "Invalid JSON on line %(line)s: %(message)s",
    "Stödfrågor (svenska)": "Guiding questions (Swedish)",
    "En fråga per rad.": "One question per line.",
    "Stödfrågor (engelska)": "Guiding questions (English)",
    "En fråga per rad, i samma ordning som de svenska.": "One question per line, in the same order as the Swedish ones.",
    "Det finns %(sv)s svenska och %(en)s engelska stödfrågor: varje fråga behövs på båda språken.": (
        "There are %(sv)s Swedish and %(en)s English guiding questions: every question is needed in both languages."
    ),
    "Utkastet är borttaget.": "The draft is deleted.",
    "Utkastet är sparat.": "The draft is saved.",
    "Releaseanteckningar": "Release notes",
    "Vad har ändrats och varför. Visas för alla kommuner och regioner.": (
        "What has changed and why. Shown to every municipality and region."
    ),
    "Release %(version)s är publicerad och rullas ut.": "Release %(version)s is published and being rolled out.",
    "Nytt försök skickat för %(tenant)s.": "A new attempt has been sent for %(tenant)s.",
    "Instansen följer nu senaste release.": "The instance now follows the latest release.",
    "Den releasen finns inte.": "That release does not exist.",
    "Release %(version)s är införd och låst.": "Release %(version)s is installed and pinned.",
    "Titel (svenska)": "Title (Swedish)",
    "Titel (engelska)": "Title (English)",
    "Målgrupper": "Target groups",
    "Obligatorisk": "Required",
    "Innehåll (svenska, Markdown)": "Content (Swedish, Markdown)",
    "Innehåll (engelska, Markdown)": "Content (English, Markdown)",
    "Länkar (JSON)": "Links (JSON)",
    '[{"title": {"sv": "…", "en": "…"}, "url": "https://…"}]': '[{"title": {"sv": "…", "en": "…"}, "url": "https://…"}]',
    "Kunskapstest (JSON)": "Knowledge test (JSON)",
    '{"pass_mark": 1, "questions": [{"text": {"sv", "en"}, "options": [{"sv", "en"}], "correct": 0}]}': (
        '{"pass_mark": 1, "questions": [{"text": {"sv", "en"}, "options": [{"sv", "en"}], "correct": 0}]}'
    ),
    "Ny bilaga (PDF, PNG, JPEG eller text, högst 2 MB)": "New attachment (PDF, PNG, JPEG or text, at most 2 MB)",
    "Kursen är sparad.": "The course is saved.",
    "Lektionen är sparad.": "The lesson is saved.",
    "Resurs": "Resource",
    "Kontakt": "Contact",
    "Rubrik": "Heading",
    "Beskrivning": "Description",
    "Länk": "Link",
    "Tillagd.": "Added.",
    # --- The model's configuration (modules/model_config) --------------------------------------------
    "gällande": "current",
    "Behovskompassens områden": "Behovskompassen areas",
    "Skattningsskalor": "Rating scales",
    "Perspektiv": "Perspectives",
    "Stödnivåer": "Support levels",
    "Min värld-triangelns sidor": "My World Triangle sides",
    "Resiliensmatrisens axlar": "Resilience matrix axes",
    "De fem frågorna": "The five questions",
    "Mallar för Barnets plan": "Child's Plan templates",
    "nyckel": "key",
    "ordning": "order",
    "namn (svenska)": "name (Swedish)",
    "namn (engelska)": "name (English)",
    "beskrivning (svenska)": "description (Swedish)",
    "beskrivning (engelska)": "description (English)",
    "detaljer": "details",
    "rubrik": "heading",
    "beskrivning": "description",
    "länk": "link",
    "telefon": "phone",
    "e-post": "e-mail",
    "Okänd typ: %(kind)s.": "Unknown kind: %(kind)s.",
    "Namnet behövs på både svenska och engelska.": "The name is needed in both Swedish and English.",
    "Nyckeln %(key)s finns redan bland utkasten.": "The key %(key)s already exists among the drafts.",
    "En publicerad release kan inte ändras.": "A published release cannot be changed.",
    # --- Training (modules/training, templates/training) ---------------------------------------------
    "Mina kurser": "My courses",
    "lokal kurs": "local course",
    "Det finns inga kurser för din roll ännu.": "There are no courses for your role yet.",
    "Genomförd utbildning per roll": "Completed training per role",
    "Andel medarbetare per roll som klarat alla obligatoriska kurser": (
        "Share of staff per role who have passed every required course"
    ),
    "Klara": "Completed",
    "Andel": "Share",
    "Länkar": "Links",
    "Kunskapstest": "Knowledge test",
    "Skicka svar": "Send answers",
    "titel (svenska)": "title (Swedish)",
    "titel (engelska)": "title (English)",
    "målgrupper (roller)": "target groups (roles)",
    "innehåll (svenska, Markdown)": "content (Swedish, Markdown)",
    "innehåll (engelska, Markdown)": "content (English, Markdown)",
    "länkar": "links",
    "kunskapstest": "knowledge test",
    "filnamn": "file name",
    "filtyp": "file type",
    "storlek (byte)": "size (bytes)",
    "Bilagan %(name)s stämmer inte med sin kontrollsumma.": "The attachment %(name)s does not match its checksum.",
    "Okända roller: %(roles)s.": "Unknown roles: %(roles)s.",
    "Det finns redan en kurs med nyckeln %(key)s.": "There is already a course with the key %(key)s.",
    "Länkarna har fel format (titel på svenska och engelska, adress som börjar med https://): %(message)s": (
        "The links have the wrong format (title in Swedish and English, address starting with https://): %(message)s"
    ),
    "Kunskapstestet har fel format: %(message)s": "The knowledge test has the wrong format: %(message)s",
    "Rätt svar måste vara ett av svarsalternativen.": "The correct answer must be one of the options.",
    "Godkäntgränsen kan inte vara högre än antalet frågor.": "The pass mark cannot be higher than the number of questions.",
    "Filtypen %(type)s är inte tillåten. Tillåtna: PDF, PNG, JPEG och textfiler.": (
        "The file type %(type)s is not allowed. Allowed: PDF, PNG, JPEG and text files."
    ),
    "Filen är för stor: högst 2 MB.": "The file is too large: at most 2 MB.",
    "Filen är inte en PDF.": "The file is not a PDF.",
    "Filen är inte en PNG-bild.": "The file is not a PNG image.",
    "Filen är inte en JPEG-bild.": "The file is not a JPEG image.",
    "Välj ett svar.": "Choose an answer.",
    "Godkänt! Lektionen är klar.": "Passed! The lesson is done.",
    "%(score)s rätt av %(total)s; %(mark)s behövs. Försök igen.": (
        "%(score)s correct out of %(total)s; %(mark)s needed. Try again."
    ),
    # --- The process for one child (modules/casework) ------------------------------------------------
    "Vilka områden i Behovskompassen berörs?": "Which areas of Behovskompassen are concerned?",
    "Hur brådskande är det?": "How urgent is it?",
    "Vet vårdnadshavarna om din oro?": "Do the guardians know about your concern?",
    "Vet inte": "Don't know",
    "Ja": "Yes",
    "Nej": "No",
    "Datum": "Date",
    "Välj": "Choose",
    "%(area)s: skattning": "%(area)s: rating",
    "%(area)s: beskrivning": "%(area)s: description",
    "Vilka deltog?": "Who took part?",
    "Stödnivå": "Support level",
    "Skäl för stödnivån": "Reason for the support level",
    "Resiliensmatris, %(axis)s (valfritt)": "Resilience matrix, %(axis)s (optional)",
    "Ingen placering": "No placement",
    "-2 = %(low)s, +2 = %(high)s": "-2 = %(low)s, +2 = %(high)s",
    "Min värld-triangeln, %(side)s: %(sub)s (valfritt)": "My World Triangle, %(side)s: %(sub)s (optional)",
    "Mål: %(text)s": "Goal: %(text)s",
    "Första uppföljning": "First follow-up",
    "Område": "Area",
    "Mål": "Goal",
    "Barnets egna ord": "The child's own words",
    "Vårdnadshavarnas ord": "The guardians' words",
    "Vad ska göras?": "What is to be done?",
    "Vem ansvarar (person eller organisation)?": "Who is responsible (person or organisation)?",
    "Senast": "Due by",
    "Hör till mål": "Belongs to goal",
    "Nästa uppföljning": "Next follow-up",
    "Skäl till att ärendet avslutas": "Reason for closing the case",
    "Plats": "Place",
    "Dagordning": "Agenda",
    "Bjud in från barnteamet": "Invite from the team around the child",
    "Vårdnadshavare deltar": "Guardians take part",
    "Barnet deltar": "The child takes part",
    "Beslut %(n)s": "Decision %(n)s",
    "Beslut %(n)s: vem ansvarar (blir en insats i planen)": (
        "Decision %(n)s: who is responsible (becomes an intervention in the plan)"
    ),
    "Beslut %(n)s: senast": "Decision %(n)s: due by",
    "Gallringsfrist för avslutade ärenden (månader)": "Retention period for closed cases (months)",
    "Avslutade ärenden gallras när så många månader har gått sedan de avslutades.": (
        "Closed cases are disposed of when this many months have passed since they were closed."
    ),
    "datum": "date",
    "uppföljning": "follow-up",
    "perspektiv": "perspectives",
    "vilka deltog": "who took part",
    "stödnivå": "support level",
    "skäl för stödnivån": "reason for the support level",
    "resiliensmatris": "resilience matrix",
    "Min värld-triangeln": "My World Triangle",
    "nästa uppföljning": "next follow-up",
    "Uppnått": "Achieved",
    "Delvis uppnått": "Partly achieved",
    "Inte uppnått": "Not achieved",
    "område": "area",
    "mål": "goal",
    "barnets egna ord": "the child's own words",
    "vårdnadshavarnas ord": "the guardians' words",
    "utfall": "outcome",
    "vad": "what",
    "vem (person eller organisation)": "who (person or organisation)",
    "senast": "due by",
    "skäl": "reason",
    "gallringsfrist (månader)": "retention period (months)",
    "tid": "time",
    "plats": "place",
    "dagordning": "agenda",
    "deltagare från barnteamet": "participants from the team around the child",
    "vårdnadshavare deltar": "guardians take part",
    "barnet deltar": "the child takes part",
    "anteckningar": "notes",
    "beslut": "decision",
    "Instansen har ingen installerad modellkonfiguration ännu.": "The instance has no installed model configuration yet.",
    "Ärendet är avslutat.": "The case is closed.",
    "Beskriv vad du har uppmärksammat.": "Describe what you have noticed.",
    "Okänt område: %(keys)s.": "Unknown area: %(keys)s.",
    "Välj hur brådskande det är.": "Choose how urgent it is.",
    "Oron är redan kvitterad.": "The concern has already been acknowledged.",
    "Bara barnkontakten kvitterar en oro.": "Only the named contact acknowledges a concern.",
    "Skatta varje område på skalan (saknas: %(areas)s).": "Rate every area on the scale (missing: %(areas)s).",
    "Okänt område i bedömningen.": "Unknown area in the assessment.",
    "Välj minst ett perspektiv.": "Choose at least one perspective.",
    "Ange vilka som deltog.": "Enter who took part.",
    "Välj stödnivå.": "Choose a support level.",
    "Ange skälet för stödnivån.": "Give the reason for the support level.",
    "Placera barnet på resiliensmatrisens axlar med ett värde från -2 till 2.": (
        "Place the child on the resilience matrix axes with a value from -2 to 2."
    ),
    "Okänt delområde i Min värld-triangeln.": "Unknown sub-area in the My World Triangle.",
    "Datumet kan inte ligga i framtiden.": "The date cannot be in the future.",
    "Ange uppnått, delvis uppnått eller inte uppnått för planens mål.": (
        "Give achieved, partly achieved or not achieved for the plan's goals."
    ),
    "Barnet har redan en plan: ett barn, en plan.": "The child already has a plan: one child, one plan.",
    "Uppföljningsdatumet har redan passerat.": "The follow-up date has already passed.",
    "Välj ett område i Behovskompassen.": "Choose an area of Behovskompassen.",
    "Skriv målet.": "Write the goal.",
    "Beskriv insatsen.": "Describe the intervention.",
    "Ange vem som ansvarar.": "Enter who is responsible.",
    "Målet hör inte till planen.": "The goal does not belong to the plan.",
    "Ange skälet till att ärendet avslutas.": "Give the reason for closing the case.",
    "Gallringsfristen måste vara minst en månad.": "The retention period must be at least one month.",
    "Skriv en dagordning.": "Write an agenda.",
    "Mötet kan inte planeras i det förflutna.": "The meeting cannot be planned in the past.",
    "Bjud bara in barnets barnteam (inte: %(names)s).": ("Only invite the team around the child (not: %(names)s)."),
    "Mötet är redan protokollfört.": "The meeting's minutes have already been recorded.",
    "Skriv anteckningar från mötet.": "Write notes from the meeting.",
    "Starta Barnets plan innan beslut blir insatser.": "Start the Child's Plan before decisions become interventions.",
    "Möte hållet": "Meeting held",
    "En oro om ett barn väntar på din kvittens": "A concern about a child is waiting for you to acknowledge it",
    "Hej!\n\nNågon har uppmärksammat en oro om ett barn där du är barnkontakt eller mottagare. Läs och kvittera den här:\n\n%(link)s\n": (
        "Hello!\n\nSomeone has raised a concern about a child for whom you are the named contact or recipient. "
        "Read and acknowledge it here:\n\n%(link)s\n"
    ),
    "Hej!\n\n%(subject)s. Se barnets plan här:\n\n%(link)s\n": (
        "Hello!\n\n%(subject)s. See the Child's Plan here:\n\n%(link)s\n"
    ),
    "En insats i Barnets plan är försenad": "An intervention in the Child's Plan is overdue",
    "Barnets plan ska följas upp": "The Child's Plan is due for follow-up",
    "Inbjudan till barnteamsmöte %(when)s": "Invitation to a team around the child meeting %(when)s",
    "Hej!\n\nDu är inbjuden till ett barnteamsmöte %(when)s. Dagordningen finns här:\n\n%(link)s\n": (
        "Hello!\n\nYou are invited to a team around the child meeting %(when)s. The agenda is here:\n\n%(link)s\n"
    ),
    "Dina barn": "Your children",
    "Barn du arbetar med, de som behöver något av dig först": "Children you work with, those who need something from you first",
    "Oro att kvittera": "Concerns to acknowledge",
    "Försenade insatser": "Overdue interventions",
    "Uppföljning": "Follow-up",
    "Möte": "Meeting",
    "Du har inga barn att arbeta med just nu.": "You have no children to work with at the moment.",
    "Barnets process": "The child's process",
    "%(counter)s oro är inte kvitterad.": (
        "%(counter)s concern is not acknowledged.",
        "%(counter)s concerns are not acknowledged.",
    ),
    "Ärendet avslutades %(at)s.": "The case was closed %(at)s.",
    "Barnets plan har %(counter)s mål.": (
        "The Child's Plan has %(counter)s goal.",
        "The Child's Plan has %(counter)s goals.",
    ),
    "Försenad insats: %(what)s (%(due)s)": "Overdue intervention: %(what)s (%(due)s)",
    "Uppföljningen är försenad.": "The follow-up is overdue.",
    "Till barnets process: oro, Behovskompassen och Barnets plan": (
        "To the child's process: concerns, Behovskompassen and the Child's Plan"
    ),
    "Behovskompassen över tid": "Behovskompassen over time",
    "Hjulet visar %(counter)s bedömning. Längre ut från mitten betyder större behov.": (
        "The wheel shows %(counter)s assessment. Further out from the centre means greater needs.",
        "The wheel shows %(counter)s assessments. Further out from the centre means greater needs.",
    ),
    "Samma uppgifter finns i tabellen nedanför.": "The same data is in the table below.",
    "Skattning per område och bedömning (1 = fungerar bra, %(max)s = störst behov) och förändring sedan första bedömningen": (
        "Rating per area and assessment (1 = works well, %(max)s = greatest needs) and change since the first "
        "assessment"
    ),
    "Förändring": "Change",
    "%(n)s (bättre)": "%(n)s (better)",
    "+%(n)s (sämre)": "+%(n)s (worse)",
    "0 (oförändrat)": "0 (unchanged)",
    "Ingen bedömning med Behovskompassen ännu.": "No assessment with Behovskompassen yet.",
    "Fem frågor att ställa sig": "Five questions to ask yourself",
    "Processen för %(name)s": "The process for %(name)s",
    "Tillbaka till %(name)s": "Back to %(name)s",
    "Barnets process: %(name)s": "The child's process: %(name)s",
    "Uppmärksammad oro": "Concerns raised",
    "Områden:": "Areas:",
    "Kvitterad av %(by)s %(at)s": "Acknowledged by %(by)s %(at)s",
    "Ej kvitterad": "Not acknowledged",
    "Kvittera": "Acknowledge",
    "Behovskompassen": "Behovskompassen (needs compass)",
    "Stödnivå:": "Support level:",
    "(modellrelease %(v)s)": "(model release %(v)s)",
    "Följ upp med Behovskompassen": "Follow up with Behovskompassen",
    "Beskriv och bedöm med Behovskompassen": "Describe and assess with Behovskompassen",
    "Barnets plan": "Child's Plan",
    "Nästa uppföljning:": "Next follow-up:",
    "passerad": "passed",
    "Ändra datum": "Change the date",
    "Barnets plan som PDF för familjen": "The Child's Plan as a PDF for the family",
    "Barnets ord": "The child's words",
    "Utfall": "Outcome",
    "Inga mål ännu.": "No goals yet.",
    "Lägg till mål": "Add a goal",
    "Insatser": "Interventions",
    "Försenad": "Overdue",
    "Markera klar: %(what)s": "Mark as done: %(what)s",
    "Inga insatser ännu.": "No interventions yet.",
    "Lägg till insats": "Add an intervention",
    "Ingen plan ännu.": "No plan yet.",
    "Starta Barnets plan": "Start the Child's Plan",
    "Barnteamsmöten": "Team around the child meetings",
    "Deltagare:": "Participants:",
    "vårdnadshavare": "guardians",
    "barnet": "the child",
    "Anteckningar:": "Notes:",
    "Beslut:": "Decisions:",
    "insats i planen": "intervention in the plan",
    "Protokollför mötet %(when)s": "Record the minutes of the meeting %(when)s",
    "Inga möten.": "No meetings.",
    "Planera barnteamsmöte": "Plan a team around the child meeting",
    "Avsluta": "Close",
    "Avsluta ärendet": "Close the case",
    "Din oro är skickad till barnkontakten.": "Your concern has been sent to the named contact.",
    "Uppmärksamma en oro om %(name)s": "Raise a concern about %(name)s",
    "Skicka till barnkontakten": "Send to the named contact",
    "Oron är kvitterad.": "The concern is acknowledged.",
    "Bedömningen är sparad.": "The assessment is saved.",
    "Uppföljning med Behovskompassen: %(name)s": "Follow-up with Behovskompassen (needs compass): %(name)s",
    "Behovskompassen: %(name)s": "Behovskompassen (needs compass): %(name)s",
    "Spara bedömningen": "Save the assessment",
    "Skatta varje område och beskriv det, utifrån de perspektiv ni har med.": (
        "Rate each area and describe it, from the perspectives you have with you."
    ),
    "Starta Barnets plan för %(name)s": "Start the Child's Plan for %(name)s",
    "Starta": "Start",
    "Nytt mål för %(name)s": "New goal for %(name)s",
    "Lägg till målet": "Add the goal",
    "Ny insats för %(name)s": "New intervention for %(name)s",
    "Lägg till insatsen": "Add the intervention",
    "Uppföljningsdatum för %(name)s": "Follow-up date for %(name)s",
    "Avsluta ärendet för %(name)s": "Close the case for %(name)s",
    "Mötet är planerat och inbjudningarna skickas.": "The meeting is planned and the invitations are being sent.",
    "Planera barnteamsmöte för %(name)s": "Plan a team around the child meeting for %(name)s",
    "Planera": "Plan",
    "Mötet är protokollfört.": "The meeting's minutes are recorded.",
    "Protokoll från barnteamsmöte: %(name)s": "Minutes of the team around the child meeting: %(name)s",
    "Spara protokollet": "Save the minutes",
    "Gallringsfristen är sparad.": "The retention period is saved.",
    "Gallring": "Records disposal",
    # --- Chronology and audit events for the process ---------------------------------------------------
    "Oro kvitterad": "Concern acknowledged",
    "Bedömning med Behovskompassen": "Assessment with Behovskompassen",
    "Barnets plan ändrad": "Child's Plan changed",
    "Barnteamsmöte": "Team around the child meeting",
    "Ärendet avslutat": "Case closed",
    "Gallrade": "Disposed of",
    # --- Issue 12, casework: routed concerns, the compass legend, meeting decisions, chronology details -----
    "Barnkontakt": "Named contact (Barnkontakt)",
    "Barnet har ingen barnkontakt ännu: den du väljer bär barnet vidare.": (
        "The child has no named contact yet: the one you choose carries the child on."
    ),
    "Barnet har ingen barnkontakt: välj vem som blir det.": "The child has no named contact: choose who it will be.",
    "Barnet har redan en barnkontakt; den byts på barnets sida.": (
        "The child already has a named contact; change it on the child's page."
    ),
    "Kvittera och utse barnkontakt": "Acknowledge and appoint the named contact",
    "Oro att kvittera: %(name)s": "Concern to acknowledge: %(name)s",
    "En oro om barnet har skickats till dig. Du ser oron tills den är kvitterad; barnets akt i övrigt ser barnkontakten och barnteamet.": (
        "A concern about the child has been sent to you. You see the concern until it is acknowledged; the rest "
        "of the child's record is for the named contact and the team around the child."
    ),
    "Oro %(at)s från %(by)s": "Concern %(at)s from %(by)s",
    "Ingen oro väntar på dig.": "No concern is waiting for you.",
    "En oro om barnet väntar på din kvittens": "A concern about the child is waiting for your acknowledgement",
    "Bedömning %(number)s, %(when)s": "Assessment %(number)s, %(when)s",
    "Skriv beslutet.": "Write the decision.",
    "Ange vem som ansvarar: ett beslut med datum blir en insats i Barnets plan.": (
        "Say who is responsible: a decision with a date becomes an action in the Child's Plan."
    ),
    "Ange senast när: ett beslut med ansvarig blir en insats i Barnets plan.": (
        "Say by when: a decision with a responsible person becomes an action in the Child's Plan."
    ),
    "Planen startad, nästa uppföljning %(next_review_on)s": "Plan started, next review %(next_review_on)s",
    "Nästa uppföljning ändrad: %(before)s → %(after)s": "Next review changed: %(before)s → %(after)s",
    "Mål tillagt (%(area)s): %(text)s": "Goal added (%(area)s): %(text)s",
    "Insats tillagd: %(what)s, ansvarig %(responsible)s, senast %(due_on)s": (
        "Action added: %(what)s, responsible %(responsible)s, by %(due_on)s"
    ),
    "Insats klar: %(what)s": "Action completed: %(what)s",
    "Möte planerat till %(starts_at)s": "Meeting planned for %(starts_at)s",
    # --- Issue 12, misc: age limit, downloads, loggkontroll, e-mail language ----------------------------
    "Barnet måste vara under %(limit)s år vid registreringen, men numret anger att personen är %(age)s år. Kontrollera numret, särskilt århundradet.": (
        "A child must be under %(limit)s at registration, but the number says the person is %(age)s. Check the "
        "number, especially the century."
    ),
    "språk": "language",
    "Okänt språk.": "Unknown language.",
    "Överenskommelsen hämtad": "Agreement downloaded",
    "Export hämtad": "Export downloaded",
    "Hämta": "Download",
    "Hämta den undertecknade överenskommelsen (PDF)": "Download the signed agreement (PDF)",
    "Barnets akt": "The child's record",
    "Personnummer": "Personal identity number",
    "Kronologi": "Chronology",
    "Export av barnets akt": "Export of the child's record",
    "Barnets plan (PDF)": "Child's Plan (PDF)",
    "Oro": "Concern",
    "Samtycke": "Consent",
    "Bedömning": "Assessment",
    "Mål i Barnets plan": "Goal in the Child's Plan",
    "Insats i Barnets plan": "Action in the Child's Plan",
    "Avslutat ärende": "Closed case",
    "Gallringsfrist": "Retention period",
    "Inbjudan": "Invitation",
    "Gallrat barn (id %(id)s)": "Disposed-of child (id %(id)s)",
    "Id": "Id",
    "Tid (%(zone)s)": "Time (%(zone)s)",
    "Barn-id": "Child id",
    "IP-adress": "IP address",
    "Stödsamordnare": "Lead professional (Stödsamordnare)",
    "Barnteam": "Team around the child (Barnteam)",
    "Vårdnadshavare": "Guardians",
    "Enheter": "Units",
    "Samtycken": "Consents",
    "Enhet": "Unit",
    # --- end of issue 12, misc ---------------------------------------------------------------------------
    # --- Issue 12 (forms): error summary, invitation page, limits, counts, provisioning details -------------
    "Rätta uppgifterna nedan": "Correct the details below",
    "Ange organisationsnumret, tio siffror, t.ex. 212000-1173.": (
        "Enter the organisation number, ten digits, e.g. 212000-1173."
    ),
    "Frivilligt. T.ex. 0411-57 70 00.": "Optional. E.g. +46 411 57 70 00.",
    "Ange ett telefonnummer med siffror (6–20 stycken), gärna med riktnummer, t.ex. 0411-57 70 00 eller +46 70 123 45 67. Bara siffror, mellanslag, +, - och parenteser är tillåtna.": (
        "Enter a phone number of 6–20 digits, preferably with the area code, e.g. 0411-57 70 00 or "
        "+46 70 123 45 67. Only digits, spaces, +, - and parentheses are allowed."
    ),
    "Kommuner och regioner har organisationsnummer som börjar på 2 (t.ex. 212000-1173 eller 232100-0255). %(value)s tillhör ett företag eller en annan sorts organisation.": (
        "Municipalities and regions have organisation numbers starting with 2 (e.g. 212000-1173 or "
        "232100-0255). %(value)s belongs to a company or another kind of organisation."
    ),
    "Inbjudningslänken går inte att använda": "The invitation link cannot be used",
    "Länken har redan använts eller har gått ut. En inbjudan kan bara användas en gång och gäller en begränsad tid.": (
        "The link has already been used or has expired. An invitation can be used once and is valid for a limited time."
    ),
    "Vad gör jag nu?": "What do I do now?",
    "Har du redan valt lösenord med länken? Logga in med din e-postadress och ditt lösenord.": (
        "Have you already chosen a password with the link? Log in with your e-mail address and password."
    ),
    "Annars: be den lokala administratören för Backa barnet i din kommun eller region om en ny inbjudan.": (
        "Otherwise: ask the local Backa barnet administrator in your municipality or region for a new invitation."
    ),
    "%(n)s lektion": ("%(n)s lesson", "%(n)s lessons"),
    "%(passed)s av %(total)s lektion klar": (
        "%(passed)s of %(total)s lesson done",
        "%(passed)s of %(total)s lessons done",
    ),
    "Införande: %(done)s av %(total)s punkt klar (%(percent)s %%)": (
        "Onboarding: %(done)s of %(total)s item done (%(percent)s %%)",
        "Onboarding: %(done)s of %(total)s items done (%(percent)s %%)",
    ),
    "%(n)s försök": ("%(n)s attempt", "%(n)s attempts"),
    "Svara på frågan.": ("Answer the question.", "Answer all %(count)s questions."),
    "senaste försöket tog %(duration)s": "the latest attempt took %(duration)s",
    "Sätt": "Method",
    "Migreringar": "Migrations",
    "Reservschema": "Spare schema",
    "Fanns redan": "Already present",
    "Domän": "Domain",
    "Meddelande": "Message",
    "Redan inbjuden": "Already invited",
    "Inbjudan nr": "Invitation no.",
    "ja": "yes",
    "nej": "no",
    # i13-apierr: a Barnteam member whose consent has run out (children/detail.html)
    "Samtycket gällde till %(until)s – ingen åtkomst": "The consent was valid until %(until)s – no access",
}


def catalogues(root: Path = ROOT) -> list[Path]:
    """Every English catalogue of the project, `locale/en` first."""
    found = [root / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    for pattern in ("modules/*/locale/en/LC_MESSAGES/django.po", "tenants/**/locale/en/LC_MESSAGES/django.po"):
        found += sorted(root.glob(pattern))
    return [path for path in found if path.exists()]


def extract(root: Path = ROOT) -> None:
    """makemessages -l en at the root (without modules/) and in every app of modules/, dropping obsolete entries."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"]
    subprocess.run([*command, *(f"--ignore={pattern}" for pattern in ROOT_IGNORE)], cwd=root, env=env, check=True)  # noqa: S603
    for app in sorted(path.parent for path in (root / "modules").glob("*/apps.py")):
        (app / "locale").mkdir(exist_ok=True)
        subprocess.run(command, cwd=app, env=env, check=True)  # noqa: S603


def translate(entry: polib.POEntry, english: str | tuple[str, str]) -> bool:
    """Give the entry its English; whether anything changed."""
    before = (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags), entry.previous_msgid)
    if entry.msgid_plural:
        singular, plural = english if isinstance(english, tuple) else (english, english)
        entry.msgstr_plural = {0: singular, 1: plural}
    else:
        entry.msgstr = english[0] if isinstance(english, tuple) else english
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    # A previous msgid (#|) left on an entry means a fuzzy match that nobody reviewed.
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return before != (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags), entry.previous_msgid)


def fill_header(po: polib.POFile) -> bool:
    """The project's header instead of makemessages' placeholders; whether anything changed."""
    before = (dict(po.metadata), bool(po.metadata_is_fuzzy))
    po.metadata.update(HEADER)
    if po.metadata.get("PO-Revision-Date", "").startswith("YEAR"):
        po.metadata["PO-Revision-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata_is_fuzzy = 0
    return before != (dict(po.metadata), False)


def translations(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str, str], str | tuple[str, ...]]:
    """What Django uses from a catalogue: in a .po the translated entries (not fuzzy, not obsolete)."""
    entries = catalogue.translated_entries() if isinstance(catalogue, polib.POFile) else list(catalogue)
    return {
        (entry.msgid, entry.msgid_plural): (
            tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr
        )
        for entry in entries
        if entry.msgid
    }


def compiled(path: Path) -> bool:
    """Whether the .mo beside the .po holds exactly the .po's translations."""
    mo = path.with_suffix(".mo")
    return mo.exists() and translations(polib.mofile(str(mo))) == translations(polib.pofile(str(path)))


def missing_in(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete and (entry.fuzzy or not entry.translated())]


def main() -> int:
    if "--extract" in sys.argv[1:]:
        extract()
    used = set()
    missing = []
    for path in catalogues():
        po = polib.pofile(str(path), wrapwidth=79)
        changed = fill_header(po)
        for entry in po:
            if not entry.obsolete and entry.msgid in ENGLISH:
                changed |= translate(entry, ENGLISH[entry.msgid])
                used.add(entry.msgid)
        if changed:  # untouched catalogues keep makemessages' layout
            po.save()
        if changed or not compiled(path):
            po.save_as_mofile(str(path.with_suffix(".mo")))
        missing += [(path.relative_to(ROOT), entry) for entry in missing_in(po)]
    for path, entry in missing:
        state = "fuzzy" if entry.fuzzy else "untranslated"
        print(f"{state}: {path}: {entry.msgid!r}")
    for msgid in sorted(set(ENGLISH) - used):
        print(f"unused (in no catalogue): {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
