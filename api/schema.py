from drf_spectacular.openapi import AutoSchema

from api.exceptions import ErrorSerializer

# Every operation may be refused: input (400, operations with a body), no or a bad credential (401), a role
# that may not (403), a record that is missing or not the caller's to see (404, alike).
_WRITE_METHODS = {"POST", "PUT", "PATCH"}
_REFUSALS = ("400", "401", "403", "404")


class ErrorContractAutoSchema(AutoSchema):
    """drf-spectacular's schema with the one error body (api.exceptions) as the default 4xx responses."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in _REFUSALS:
            if code == "400" and self.method not in _WRITE_METHODS:
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
