"""Forms of the citizen's pages: the report (no account), the tracking-code lookup, and the reporter's
reply, rating and reopening. The service checks everything again; these give early, per-field messages."""

import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from publicservice.models import ComplaintKind, ComplaintStatus, Confidentiality, ServiceUnit
from publicservice.services import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT

ACCEPT = ".jpg,.jpeg,.png,.pdf"
EXTENSIONS = {"jpg", "jpeg", "png", "pdf"}
CODE_RE = re.compile(r"^[A-Z0-9]{6,20}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=ComplaintKind.choices, widget=forms.RadioSelect)
    unit = forms.CharField(
        label=_("Unit layanan"),
        max_length=20,
        widget=forms.HiddenInput,
        error_messages={"required": _("Pilih unit layanan dari daftar pencarian.")},
    )
    title = forms.CharField(label=_("Judul laporan"), min_length=5, max_length=200)
    description = forms.CharField(
        label=_("Isi laporan"),
        min_length=20,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ceritakan apa yang terjadi, kapan, dan apa yang Anda harapkan. Jangan tulis NIK atau data pribadi orang lain."
        ),
    )
    location = forms.CharField(label=_("Lokasi kejadian"), max_length=300, required=False)
    attachments = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        help_text=_(
            "Paling banyak 3 berkas JPG, PNG atau PDF, masing-masing paling besar 5 MB. Data lokasi dan kamera pada foto dihapus."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Kerahasiaan"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Nama Anda (boleh dikosongkan)"), max_length=150, required=False)
    reporter_contact = forms.CharField(
        label=_("Surel atau nomor telepon (boleh dikosongkan)"),
        max_length=150,
        required=False,
        help_text=_("Untuk pemberitahuan perkembangan laporan lewat surel. Tidak pernah ditampilkan ke publik."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "confidentiality"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["title"].widget.attrs.update({"minlength": 5, "autocomplete": "off"})
        self.fields["description"].widget.attrs["minlength"] = 20
        self.fields["reporter_name"].widget.attrs["autocomplete"] = "name"
        self.unit_obj: ServiceUnit | None = None

    def clean_unit(self) -> str:
        code = self.cleaned_data["unit"].strip().upper()
        unit = ServiceUnit.objects.filter(code=code, active=True).select_related("agency").first() if code else None
        if unit is None:
            raise forms.ValidationError(_("Pilih unit layanan dari daftar pencarian."))
        self.unit_obj = unit
        return code

    def submission(self) -> dict:
        """The valid form as services.complaint_submit's arguments."""
        d = self.cleaned_data
        fields = ("kind", "title", "description", "confidentiality", "location", "reporter_name", "reporter_contact")
        return {k: d[k] for k in fields} | {"unit": self.unit_obj, "attachments": d["attachments"]}

    def clean_attachments(self) -> list:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Paling banyak 3 lampiran."))
        for f in files:
            ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
            if ext not in EXTENSIONS:
                raise forms.ValidationError(_("Lampiran harus gambar (JPG/PNG) atau PDF."))
            if f.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("Lampiran paling besar 5 MB."))
        return files

    def clean_reporter_contact(self) -> str:
        contact = self.cleaned_data["reporter_contact"].strip()
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Alamat surel tidak valid.")) from exc
        elif not PHONE_RE.match(contact):
            raise forms.ValidationError(_("Tulis alamat surel atau nomor telepon yang valid."))
        return contact


class TrackForm(StyledForm):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "autocomplete": "off", "placeholder": _("Kode lacak")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["aria-label"] = self.fields["code"].label

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper().replace(" ", "").replace("-", "")
        if not CODE_RE.match(code):
            raise forms.ValidationError(_("Kode lacak terdiri atas 14 huruf dan angka."))
        return code


class KeyForm(StyledForm):
    key = forms.CharField(label=_("Kunci balasan"), max_length=64, widget=forms.PasswordInput(render_value=False))


class ReplyForm(StyledForm):
    text = forms.CharField(label=_("Balasan Anda"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("Nilai tanggapan"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Komentar (boleh dikosongkan)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"


class ReopenForm(StyledForm):
    reason = forms.CharField(
        label=_("Mengapa laporan perlu dibuka kembali?"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ListFilterForm(StyledForm):
    """The public list's filters (plain GET; unknown values are ignored rather than refused)."""

    instansi = forms.CharField(required=False, max_length=20)
    unit = forms.CharField(required=False, max_length=20)
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("Semua status"))]
        + [
            (s.value, s.label)
            for s in ComplaintStatus
            if s not in (ComplaintStatus.RECEIVED, ComplaintStatus.REJECTED, ComplaintStatus.MERGED)
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs.update({"class": "form-select form-select-sm", "aria-label": _("Status")})
