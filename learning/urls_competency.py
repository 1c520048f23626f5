"""competency pages of competency development."""

urlpatterns: list = []
