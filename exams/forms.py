from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from exams.models import ExamIncident


class CheckInForm(StyledForm):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    seat = forms.CharField(label=_("Kursi"), max_length=10)


class IncidentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis gangguan"), choices=ExamIncident.Kind.choices)
    participant = forms.CharField(
        label=_("Nomor peserta"), required=False, help_text=_("Kosongkan bila gangguan mengenai seluruh sesi.")
    )
    started_at = forms.DateTimeField(
        label=_("Mulai gangguan"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ended_at = forms.DateTimeField(
        label=_("Gangguan selesai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Keterangan"), max_length=500, required=False)
