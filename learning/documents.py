"""The certificate of a completed programme as an A4 landscape PDF rendered by WeasyPrint, with the
verification code and a QR code pointing at the public verification page. Always in Indonesian."""

import base64
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from learning.models import Enrollment


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=1)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def certificate_pdf(enrollment: Enrollment, *, verify_url: str) -> bytes:
    """Render the certificate of a passed enrolment."""
    import weasyprint  # loads Pango through cffi: only the document pages need it

    from performance.documents import date_range, tanggal

    event = enrollment.event
    context = {
        "e": enrollment,
        "employee": enrollment.employee,
        "program": event.program,
        "event": event,
        "dates": date_range(event.starts_on, event.ends_on),
        "issued": tanggal(enrollment.completed_on or event.ends_on),
        "verify_url": verify_url,
        "qr": _qr_data_uri(verify_url),
    }
    with translation.override("id"):
        html = render_to_string("learning/catalogue/certificate_pdf.html", context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
