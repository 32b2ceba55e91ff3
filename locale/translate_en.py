"""English for the Swedish UI strings: fills locale/en/LC_MESSAGES/django.po and compiles it.

Run after `manage.py makemessages -l en`: `python locale/translate_en.py`. Strings missing here stay
Swedish in the English UI (Django falls back to the msgid) and are listed, so they can be added.
"""

from pathlib import Path

import polib

ENGLISH = {
    "Nytt lösenord": "New password",
    "Upprepa lösenordet": "Repeat the password",
    "Lösenorden är inte lika.": "The passwords do not match.",
    "Länken är ogiltig, har redan använts eller har gått ut.": "The link is invalid, has been used or has expired.",
    "Länken är ogiltig, har redan använts eller har gått ut. Be om en ny inbjudan.": (
        "The link is invalid, has been used or has expired. Ask for a new invitation."
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
    "Det finns redan ett konto med e-postadressen %(email)s.": "An account with the e-mail address %(email)s already exists.",
    "Inbjudan till Backa barnet": "Invitation to Backa barnet",
    "Hej!\n\nDu har bjudits in till Backa barnet. Välj ditt lösenord här (länken gäller i sju dagar och kan bara "
    "användas en gång):\n\n%(link)s\n": (
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
    "Här ansluter kommuner och regioner till Backa barnet, och här förvaltas modellens innehåll och "
    "utbildningsmaterial.": (
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
}


def main() -> None:
    path = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid in ENGLISH:
            entry.msgstr = ENGLISH[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr and not entry.msgid.isascii():
            missing.append(entry.msgid)
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    for msgid in missing:
        print("untranslated:", msgid.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
