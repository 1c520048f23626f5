"""Forms of the officers' pages: the queue's filters, one form per action on a report, one per action on the
holiday list.

Action forms only carry what was typed: the services decide (and refuse in Indonesian), so a page shows
the same message the API answers with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.models import Holiday
from publicservice.models import ComplaintClass, ComplaintKind, ComplaintStatus, Confidentiality

BLANK = [("", "—")]
TEXT_MAX = 5000

# Values of the queue's filters, in the query string.
OPEN = "aktif"  # received, forwarded, in progress, responded: every report that still needs someone
ALL = "semua"
LATE, SOON = "terlambat", "segera"
ESCALATED = "dieskalasi"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QueueFilterForm(StyledForm):
    """The queue's filters; every field is optional and an unknown value is ignored."""

    q = forms.CharField(label=_("Cari kode atau judul"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Belum selesai")), (ALL, _("Semua status")), *ComplaintStatus.choices],
    )
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=BLANK + list(ComplaintKind.choices))
    classification = forms.ChoiceField(
        label=_("Klasifikasi"), required=False, choices=BLANK + list(ComplaintClass.choices)
    )
    agency = forms.ChoiceField(label=_("Instansi"), required=False)
    unit = forms.ChoiceField(label=_("Unit layanan"), required=False)
    deadline = forms.ChoiceField(
        label=_("Tenggat"),
        required=False,
        choices=BLANK + [(LATE, _("Terlambat")), (SOON, _("Jatuh tempo ≤ 2 hari kerja"))],
    )
    escalation = forms.ChoiceField(
        label=_("Eskalasi"),
        required=False,
        choices=BLANK
        + [
            (ESCALATED, _("Dieskalasi (semua tingkat)")),
            ("0", _("Belum dieskalasi")),
            ("1", _("Tingkat 1: kepala unit")),
            ("2", _("Tingkat 2: pimpinan instansi")),
        ],
    )
    confidentiality = forms.ChoiceField(
        label=_("Kerahasiaan"), required=False, choices=BLANK + list(Confidentiality.choices)
    )

    def __init__(self, *args, agencies=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = BLANK + [(str(a.pk), a.name) for a in agencies]
        self.fields["unit"].choices = BLANK + [(u.code, u.name) for u in units]
        if len(agencies) < 2:
            del self.fields["agency"]
        if not units:
            del self.fields["unit"]

    def value(self, name: str) -> str:
        """The cleaned value of a filter, "" when absent or invalid (a bad filter shows everything, not an error)."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


TRI_STATE = [("", _("Tidak diubah")), ("yes", _("Ya")), ("no", _("Tidak"))]


class ForwardForm(StyledForm):
    to_unit = forms.CharField(label=_("Unit tujuan"), required=False, max_length=14)
    field_inspection = forms.ChoiceField(label=_("Perlu pemeriksaan lapangan"), required=False, choices=TRI_STATE)
    # Every level is accepted here: the service refuses a looser one with its own message.
    confidentiality = forms.ChoiceField(
        label=_("Kerahasiaan"), required=False, choices=[("", _("Tidak diubah")), *Confidentiality.choices]
    )
    # Required for a pengaduan at verification: the service refuses its absence with its own message.
    classification = forms.ChoiceField(
        label=_("Klasifikasi"), required=False, choices=[("", "—"), *ComplaintClass.choices]
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def inspection(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("field_inspection") or "")


class ReclassifyForm(StyledForm):
    classification = forms.ChoiceField(
        label=_("Klasifikasi baru"), required=False, choices=[("", "—"), *ComplaintClass.choices]
    )
    reason = forms.CharField(
        label=_("Alasan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(StyledForm):
    into = forms.CharField(label=_("Kode laporan tujuan"), required=False, max_length=20)


class ProgressForm(StyledForm):
    note = forms.CharField(
        label=_("Tindak lanjut"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class RespondForm(StyledForm):
    text = forms.CharField(
        label=_("Tanggapan untuk pelapor"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseForm(StyledForm):
    outcome = forms.CharField(
        label=_("Hasil penyelesaian"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RedactForm(StyledForm):
    public_text = forms.CharField(
        label=_("Isi yang ditampilkan ke publik"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class HideForm(StyledForm):
    hidden = forms.BooleanField(label=_("Sembunyikan dari publik"), required=False)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)


class AttachmentPublishForm(StyledForm):
    public = forms.BooleanField(required=False)


class HolidayForm(StyledForm):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    name = forms.CharField(label=_("Keterangan"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Holiday.Kind.choices)


class HolidayRemoveForm(StyledForm):
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=300)


class HolidayYearConfirmForm(StyledForm):
    decree = forms.CharField(
        label=_("Nomor SKB"),
        required=False,
        max_length=300,
        help_text=_(
            "SKB Menteri Agama, Menteri Ketenagakerjaan, dan Menteri PANRB tentang hari libur nasional dan cuti bersama."
        ),
    )


class HolidayPrefillForm(StyledForm):
    """Nothing to type: the year is in the address; the form carries the POST (and its CSRF check)."""
