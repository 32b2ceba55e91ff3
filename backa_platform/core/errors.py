"""The one base class of the services' refusals.

A service refuses with a message the user can act on, and, when the refusal concerns one input, the name of
that input: ``raise ChildError({"personnummer": [message]}, code="future")``. It stays a Django
``ValidationError`` so forms and page views keep handling it as they handle a form's own errors
(``form.add_error(None, error)`` puts each message beside its field), and the API's one exception handler
(``api.exceptions``) knows every module's errors through this class without importing the modules.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ServiceError(ValidationError):
    """A refused service call: ``message`` (a string, a list, or a ``{field: messages}`` dict), ``code`` and
    ``params`` as Django's ``ValidationError`` takes them."""

    def fields(self) -> list[str]:
        """The inputs the refusal names (empty when it concerns the request as a whole)."""
        if not hasattr(self, "error_dict"):
            return []
        return [name for name in self.error_dict if name != NON_FIELD_ERRORS]
