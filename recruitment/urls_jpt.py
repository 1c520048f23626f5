"""jpt pages of the selection."""

urlpatterns: list = []
