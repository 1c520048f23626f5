"""reports pages of competency development."""

urlpatterns: list = []
