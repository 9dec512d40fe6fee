"""Tags for the routine builder's page, which draws many small forms per step."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def change_fields(context, version):
    """The hidden fields every form that changes the routine sends: the CSRF token and the
    routine's version.

    Made once per answer with `as` and reused: a routine of 30 steps has some 90 forms, and
    rendering {% csrf_token %} in each cost more than the rest of their fields.
    """
    return format_html(
        '{}<input type="hidden" name="version" value="{}">',
        CsrfTokenNode().render(context),
        version,
    )
