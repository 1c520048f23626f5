from django.urls import include, path

app_name = "exams"
urlpatterns = [
    path("bank/", include("exams.urls_bank")),
]
