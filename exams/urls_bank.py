"""The question bank and item analysis pages (under /cat/bank/)."""

urlpatterns: list = []
