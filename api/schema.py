from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.exceptions import ErrorSerializer

# Every operation may be refused: input (400, operations with a body or declared parameters), no or a bad
# credential (401), a role that may not (403), a record that is missing or not the caller's to see (404, alike).
_WRITE_METHODS = {"POST", "PUT", "PATCH"}
_REFUSALS = ("400", "401", "403", "404")


class ErrorContractAutoSchema(AutoSchema):
    """drf-spectacular's schema with the one error body (api.exceptions) as the default 4xx responses."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in _REFUSALS:
            if code == "400" and self.method not in _WRITE_METHODS and not self.get_override_parameters():
                continue  # a read refuses input only in the parameters it declares
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF's text input refuses NUL characters, and a blank (after trimming, all-blank) text unless allow_blank:
        # the schema says so, or clients (and schemathesis) take "" or "\u0000" for valid input.
        if (
            isinstance(field, serializers.CharField)
            and not field.read_only
            and schema.get("type") == "string"
            and "enum" not in schema
            and "pattern" not in schema
        ):
            schema = {**schema}  # not the dict of an extend_schema_field
            if field.allow_blank:
                schema["pattern"] = r"^[^\u0000]*$"
            else:
                schema.setdefault("minLength", 1)
                schema["pattern"] = r"^[^\u0000]*[^\s\u0000][^\u0000]*$" if field.trim_whitespace else r"^[^\u0000]+$"
        return schema


def described(field_class, schema: dict):
    """``field_class`` with ``schema`` as its OpenAPI schema: for input a service validates itself (with its own,
    more precise messages), so the schema states the service's rules instead of the serializer's few."""
    return extend_schema_field(schema)(type(field_class.__name__, (field_class,), {}))
