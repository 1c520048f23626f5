from django.contrib import admin

from exams.models import ExamRoom, ExamSession, ExamSite


class RoomInline(admin.TabularInline):
    model = ExamRoom
    extra = 1


@admin.register(ExamSite)
class ExamSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name"]
    filter_horizontal = ["operators"]
    inlines = [RoomInline]


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ["code", "room", "starts_at", "blueprint", "opened_at"]
    list_filter = ["room__site", "blueprint"]
    search_fields = ["code"]
    readonly_fields = ["public_key", "opened_at"]
