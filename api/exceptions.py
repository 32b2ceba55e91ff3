"""The API's one error contract.

Every 4xx answer has the same body, whatever raised it (a serializer, a service's ``ServiceError``, any
Django ``ValidationError``, or DRF's own authentication, permission and not-found exceptions)::

    {"detail": "<the first message, a summary to show>",
     "code": "<a stable code to branch on>",
     "errors": {"<field>": ["<message>", ...], "non_field_errors": [...]}}

``errors`` is empty unless the request's input was refused; a refusal that concerns no single field is under
``non_field_errors``; a field holding a list of objects (a meeting's decisions) has one object per row, ``{}``
for the rows without errors, as DRF's serializers answer. Messages are in the request's language.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}, "description": "The field's messages, or one object per row."},
                {"type": "object", "description": "A field holding objects: the messages by their fields (keys)."},
            ]
        },
    }
)
class _ErrorsField(serializers.DictField):
    """Messages by field. DRF answers a list field's refused items as an object keyed by the item's index
    (``{"unit_ids": {"0": [...]}}``) and a list of objects as one object per row, so a value is either."""


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (documented as the default 400/401/403/404 response)."""

    detail = serializers.CharField(help_text="The first message: a summary to show.")
    code = serializers.CharField(
        help_text="A stable code, e.g. invalid, not_found, permission_denied, not_authenticated."
    )
    errors = _ErrorsField(
        help_text="Messages by input field; non_field_errors for the request as a whole; for a list of objects, "
        "one object of messages per row. Empty unless the input was refused.",
    )


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Every service's refusal (backa_platform.core.errors.ServiceError is one) and any other Django
        # ValidationError: field names and codes are kept.
        exc = exceptions.ValidationError(_nested(get_error_detail(exc)))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)  # as DRF's own handler does, so the body is built from one class
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API refusal: a 500, reported as such
    response.data = error_body(exc)
    return response


def error_body(exc: exceptions.APIException) -> dict:
    if not isinstance(exc, exceptions.ValidationError):
        return {"detail": str(exc.detail), "code": getattr(exc.detail, "code", exc.default_code), "errors": {}}
    errors = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail}
    # A hand-raised ValidationError({"detail": ...}) concerns the request as a whole.
    errors = {(NON_FIELD if key in ("detail", "__all__") else key): value for key, value in errors.items()}
    first = _first(errors)
    code = getattr(first, "code", None) if list(errors) == [NON_FIELD] else None
    return {"detail": str(first or exc.default_detail), "code": code or exc.default_code, "errors": errors}


def _first(value):
    if isinstance(value, dict):
        value = list(value.values())
    for item in value if isinstance(value, list) else [value]:
        found = _first(item) if isinstance(item, dict | list) else item
        if found:
            return found
    return None


def _nested(detail):
    """``"decisions.1.responsible"`` from a service is answered as DRF answers a list of objects:
    ``{"decisions": [{}, {"responsible": [...]}]}``."""
    if not isinstance(detail, dict):
        return detail
    body, rows = {}, {}
    for key, messages in detail.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = messages
        else:
            body[key] = messages
    for field, by_index in rows.items():
        body[field] = [by_index.get(index, {}) for index in range(max(by_index) + 1)]
    return body


class NotFoundView(APIView):
    """Any path under /api/ that names no operation (or has a path argument that is not a number, a key that
    is not a slug): the contract's 404 body, not the site's HTML page. Routed last, for paths ending in a
    slash, so Django still adds a missing slash first."""

    authentication_classes = []
    permission_classes = []
    schema = None  # not an operation

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Det finns ingen sådan adress i API:t."))
