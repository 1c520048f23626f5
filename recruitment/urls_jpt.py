"""Pages of the open selection for senior (JPT) posts, under /seleksi/jpt/."""

from django.urls import path

from recruitment import views_jpt as views

urlpatterns = [
    path("", views.jpt_list, name="jpt_list"),
    path("baru/", views.jpt_create, name="jpt_create"),
    path("<int:pk>/", views.jpt_detail, name="jpt_detail"),
    path("<int:pk>/meja/", views.jpt_member, name="jpt_member"),
    path("<int:pk>/tahap/<int:stage_id>/nilai/", views.jpt_score, name="jpt_score"),
    path("<int:pk>/peringkat/", views.jpt_ranking, name="jpt_ranking"),
    path("<int:pk>/usulkan/", views.jpt_propose, name="jpt_propose"),
    path("<int:pk>/usulan/", views.jpt_proposal, name="jpt_proposal"),
]
