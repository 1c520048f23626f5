from django.urls import path

from recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("formasi/", views.formation_search, name="formations"),
]
