"""A certificate of a completed course (PDF, DejaVu Sans through backa_platform/core/pdf.py), in the language
of the page that asks for it."""

from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from backa_platform.core.pdf import FONT, pdf_document, pdf_text


def certificate_pdf(*, user, course, completed_at) -> bytes:
    tenant = getattr(connection, "tenant", None)
    issuer = getattr(tenant, "name", "") or "Backa barnet"
    pdf = pdf_document(title=_("Intyg: %(course)s") % {"course": course.title})
    pdf.add_page()
    width = pdf.epw
    pdf.ln(30)
    pdf.set_font(FONT, "B", 26)
    pdf.multi_cell(width, 14, pdf_text(_("Intyg")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FONT, "", 14)
    pdf.multi_cell(
        width,
        9,
        pdf_text(_("%(name)s har genomgått kursen") % {"name": user.full_name}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(width, 11, pdf_text(course.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 12)
    lessons = [lesson.title for lesson in course.lessons.all()]
    pdf.multi_cell(
        width,
        7,
        pdf_text(
            _("i Backa barnet, med %(count)s godkända lektioner: %(lessons)s.")
            % {"count": len(lessons), "lessons": ", ".join(lessons)}
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(12)
    completed = formats.date_format(timezone.localtime(completed_at).date(), "j F Y") if completed_at else ""
    pdf.multi_cell(
        width, 7, pdf_text(_("Genomförd %(date)s.") % {"date": completed}), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.multi_cell(
        width, 7, pdf_text(_("Utfärdat av %(issuer)s.") % {"issuer": issuer}), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())
