from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm


class SkbEntryForm(StyledForm):
    """One SKB score; numbers stay text here so that the service reads "78,5" and refuses in Indonesian."""

    application = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.CharField(label=_("Nilai SKB"), max_length=12, required=False)
    maximum = forms.CharField(label=_("Nilai maksimum SKB"), max_length=12)
    absent = forms.BooleanField(label=_("Tidak hadir"), required=False)
    ipk = forms.CharField(label=_("IPK / rata-rata nilai ijazah"), max_length=8, required=False)
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=300, required=False)


class SkbImportForm(StyledForm):
    file = forms.FileField(label=_("Berkas nilai SKB (xlsx atau CSV)"))
    maximum = forms.CharField(
        label=_("Nilai maksimum SKB"),
        max_length=12,
        required=False,
        initial="100",
        help_text=_("Dipakai untuk baris yang kolom nilai maksimumnya kosong."),
    )
    reason = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=300,
        required=False,
        help_text=_("Wajib bila berkas mengubah nilai yang sudah tercatat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
