"""What OPTIONS answers: the view's name, description and media types, not DRF's description of its input.

DRF's SimpleMetadata builds "actions" by calling the view's ``get_object`` and ``get_serializer`` as if for a
PUT or POST: a view with no queryset or no serializer (the retention setting, deactivating an account)
answered 500, and on a child's record the probe would read, and log, the record. The input of every
endpoint is documented in the OpenAPI schema (/api/schema/) instead."""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        return {}
