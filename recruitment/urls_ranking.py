"""ranking pages of the selection."""

urlpatterns: list = []
