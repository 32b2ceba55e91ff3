"""Page-number pagination whose total comes with the page: one query, not DRF's COUNT query plus the page
query. The total is a window count over the filtered rows (``count(*) OVER ()``), computed before the
LIMIT; the page is then handed to DRF's PageNumberPagination, which builds the links and the answer
(count, next, previous, results) as it always does."""

from django.core.paginator import Page
from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from modules.children.selectors import ChildPage, CursorInvalid, children_page

# PostgreSQL's OFFSET is a bigint: a page past it is a DataError (a 500), and past the last row anyway.
_MAX_OFFSET = 2**63 - 1


class CountedPagePagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        try:
            number = int(request.query_params.get(self.page_query_param, 1))
        except ValueError:
            number = 0
        start = (number - 1) * page_size
        if number < 1 or start + page_size > _MAX_OFFSET:
            raise NotFound(_("Ogiltig sida."))
        rows = list(queryset.annotate(page_total=Window(Count("pk")))[start : start + page_size])
        if not rows and number > 1:
            raise NotFound(_("Ogiltig sida."))
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.count = rows[0].page_total if rows else 0  # known: Django's paginator needs no COUNT query
        self.page = Page(rows, number, paginator)
        return rows


class StrictPagePagination(PageNumberPagination):
    """DRF's page-number pagination, but ``page`` is what the schema says, an integer: a blank page is refused
    (404, as any page that is not a number) rather than read as page 1, and there is no ``page=last``."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)


class ChildCursorPagination(PageNumberPagination):
    """The child list: ``next`` and ``previous`` carry a cursor (``cursor=``), the fast way through the list at
    any depth (``children_page`` walks on from the cursor's child); ``page=N`` still works, but a deep page
    costs more the deeper it is. The answer is the page-number one: ``count`` (exact, counted on the first page
    and carried in the cursors: a later page shows the first page's count), ``next``,
    ``previous``, ``results``."""

    cursor_query_param = "cursor"

    def paginate_children(self, request, *, user) -> list:
        self.request = request
        cursor = request.query_params.get(self.cursor_query_param)
        start = 0
        if cursor is None:  # a cursor, when given, says where the page is: a page number beside it is ignored
            try:
                number = int(request.query_params.get(self.page_query_param, 1))
            except ValueError:
                number = 0
            start = (number - 1) * self.page_size
            if number < 1 or start + self.page_size > _MAX_OFFSET:
                raise NotFound(_("Ogiltig sida."))
        try:
            self.page: ChildPage = children_page(user=user, size=self.page_size, cursor=cursor or "", offset=start)
        except CursorInvalid as error:
            raise NotFound(_("Ogiltig sidmarkör. Börja om från listans första sida.")) from error
        if start and not self.page.children:
            raise NotFound(_("Ogiltig sida."))
        return self.page.children

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page is: the cursor of a `next` or `previous` link (the fast way to "
                "any depth). A cursor the server did not give is answered 404.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number (ignored beside a cursor); a deep page is slower than following "
                "`next` links.",
                "schema": {"type": "integer"},
            },
        ]
