"""Ranking pages of the selection: the committee's desk, SKB scores, the final result and its publication."""

from django.urls import path

from recruitment import views_ranking as v

urlpatterns = [
    path("", v.desk, name="ranking"),
    path("formasi/<int:formation_id>/", v.formation_detail, name="ranking_formation"),
    path("formasi/<int:formation_id>/skb/", v.skb_enter, name="skb_enter"),
    path("formasi/<int:formation_id>/ekspor/<str:kind>.<str:fmt>", v.export, name="ranking_export"),
    path("<int:period_id>/instansi/<int:agency_id>/impor-skb/", v.skb_import, name="skb_import"),
    path("<int:period_id>/instansi/<int:agency_id>/templat-skb.<str:fmt>", v.skb_template, name="skb_template"),
    path("<int:period_id>/instansi/<int:agency_id>/umumkan/", v.final_publish, name="final_publish"),
    path("pengumuman/", v.public_list, name="final_list"),
    path("pengumuman/<int:period_id>/<int:agency_id>/", v.public_result, name="final_public"),
]
