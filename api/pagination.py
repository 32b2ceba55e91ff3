"""Page-number pagination whose total comes with the page: one query, not DRF's COUNT query plus the page
query. The total is a window count over the filtered rows (``count(*) OVER ()``), computed before the
LIMIT; the page is then handed to DRF's PageNumberPagination, which builds the links and the answer
(count, next, previous, results) as it always does."""

from django.core.paginator import Page
from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

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
