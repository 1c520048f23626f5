"""catalogue pages of competency development."""

urlpatterns: list = []
