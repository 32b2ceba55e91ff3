"""The API's JSON parser: DRF's, with a limit on how deeply the body may nest.

Python's decoder raises RecursionError (not ValueError) at about 1,000 levels, which DRF does not catch: a
500. A body nested deeper than any of our requests needs is refused as a parse error (400) instead, before a
serializer, a deepcopy or PostgreSQL's jsonb has to walk it."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest request the API takes is a list of objects holding lists (a meeting's decisions): 4 levels.
MAX_JSON_DEPTH = 32


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("JSON-data får vara nästlade högst %(limit)s nivåer djupt.") % {"limit": MAX_JSON_DEPTH}


def json_depth(value) -> int:
    """Nesting depth of decoded JSON (a scalar is 0), without recursion: the value may be ~1,000 deep."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            deepest = max(deepest, depth)
            continue
        depth += 1
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in item)
    return deepest
