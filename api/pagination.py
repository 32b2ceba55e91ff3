"""Page-number pagination whose total comes with the page: one query, not DRF's COUNT query plus the page
query. The total is a window count over the filtered rows (``count(*) OVER ()``), computed before the
LIMIT. Answers exactly like DRF's PageNumberPagination (count, next, previous, results)."""

from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CountedPagePagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        try:
            self.number = int(request.query_params.get(self.page_query_param, 1))
        except ValueError:
            self.number = 0
        if self.number < 1:
            raise NotFound(_("Ogiltig sida."))
        start = (self.number - 1) * self.page_size
        rows = list(queryset.annotate(page_total=Window(Count("pk")))[start : start + self.page_size])
        if not rows and self.number > 1:
            raise NotFound(_("Ogiltig sida."))
        self.count = rows[0].page_total if rows else 0
        return rows

    def get_paginated_response(self, data):
        return Response(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self):
        if self.number * self.page_size >= self.count:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)
