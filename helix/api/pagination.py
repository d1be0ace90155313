from rest_framework.pagination import CursorPagination


class HelixCursorPagination(CursorPagination):
    """Cursor pagination: stays fast deep into a large list (no OFFSET)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("id",)
