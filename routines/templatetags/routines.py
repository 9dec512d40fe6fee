import segno
from django import template
from django.utils.safestring import mark_safe

from routines.models import Routine

register = template.Library()


@register.simple_tag
def qr_code(url):
    """The link as an inline SVG QR code, made on the server (no script, no other host)."""
    code = segno.make(url, error="m")
    # segno writes only a viewBox, a class and one path of digits: nothing to escape.
    return mark_safe(
        code.svg_inline(scale=1, border=2, svgclass="qr", lineclass="qr__path", omitsize=True)
    )


@register.simple_tag
def suggested_routines(pain_type):
    """The editors' suggested routines for a pain type: the pain type page (points) shows
    them without its view knowing the builder exists."""
    return Routine.objects.suggestions().filter(pain_types=pain_type)
