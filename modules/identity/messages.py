"""What a person reads when a sign-in is refused: one message per failure code, never the library's words."""

from django.utils.translation import gettext_lazy as _

FAILURE_MESSAGES = {
    "signature": _("Svaret från identitetsleverantören var inte korrekt signerat."),
    "audience": _("Svaret från identitetsleverantören var avsett för en annan tjänst."),
    "recipient": _("Svaret från identitetsleverantören var adresserat till en annan mottagare."),
    "expired": _("Svaret från identitetsleverantören har gått ut. Försök logga in igen."),
    "replayed": _("Svaret från identitetsleverantören har redan använts. Börja om inloggningen."),
    "unsolicited": _("Svaret från identitetsleverantören hör inte till någon inloggning som påbörjats här."),
    "assurance": _("Inloggningen uppfyllde inte den tillitsnivå som krävs här. Logga in med e-legitimation."),
    "unbound": _(
        "Din identitet är inte kopplad till något konto i den här instansen. Be den lokala administratören om "
        "en inbjudan."
    ),
    "inactive": _("Kontot är inaktiverat."),
    "no_subject": _("Identitetsleverantören skickade inte det attribut som identifierar dig här."),
    "invitation_unusable": _("Inbjudan är ogiltig, har redan använts eller har gått ut. Be om en ny inbjudan."),
    "already_bound": _("Din identitet är redan kopplad till ett annat konto i den här instansen."),
    "provider_disabled": _("Identitetsleverantören är inte aktiverad här."),
    "provider_unreachable": _("Identitetsleverantören svarar inte just nu. Försök igen om en stund."),
    "provider_misconfigured": _("Identitetsleverantören är felaktigt inställd. Kontakta den lokala administratören."),
    "invalid_response": _("Svaret från identitetsleverantören kunde inte godtas."),
    "denied": _("Inloggningen avbröts hos identitetsleverantören."),
}


def failure_message(code: str) -> str:
    return str(FAILURE_MESSAGES.get(code, FAILURE_MESSAGES["invalid_response"]))
