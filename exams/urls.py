from django.urls import include, path

from exams.views import board, delivery, operator

app_name = "exams"
urlpatterns = [
    path("", delivery.login_page, name="login"),
    path("ujian/", delivery.exam_page, name="exam"),
    path("api/masuk/", delivery.api_login, name="api_login"),
    path("api/mulai/", delivery.api_start, name="api_start"),
    path("api/soal/<int:position>/", delivery.api_question, name="api_question"),
    path("api/jawab/", delivery.api_answer, name="api_answer"),
    path("api/selesai/", delivery.api_finish, name="api_finish"),
    path("api/status/", delivery.api_status, name="api_status"),
    path("papan/<str:key>/", board.board_page, name="board"),
    path("papan/<str:key>/data/", board.board_data, name="board_data"),
    path("papan/<str:key>/log.jsonl", board.board_log, name="board_log"),
    path("operator/", operator.session_list, name="operator"),
    path("operator/<str:code>/", operator.session_desk, name="desk"),
    path("bank/", include("exams.urls_bank")),
]
