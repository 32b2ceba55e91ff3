from django.utils.functional import SimpleLazyObject

from modules.accounts.rules import rules_for


def rules(request):
    """``may.<rule>`` in every template: the navigation asks the same rules as the pages it links to."""
    return {"may": SimpleLazyObject(lambda: rules_for(request.user))}
