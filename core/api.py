from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Turn a service's DomainError into a 400 with its per-field messages."""
    if isinstance(exc, DomainError):
        exc = ValidationError(exc.errors or {"detail": exc.message})
    return drf_exception_handler(exc, context)
