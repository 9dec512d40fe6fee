"""Log lines that say which request they are about.

Django's `django.request` and `django.security` loggers hand the request (and the status
they answered with) to every record about a 4xx or 5xx. The stock message names only the
path, so a line such as "Internal Server Error: /routine/save/" cannot be told apart from
a GET of the same page or matched to a client; this formatter adds those facts.
"""

import logging
from urllib.parse import quote


def request_context(record):
    """`method=… path=… status=… client=…` for a record about a request, else ""."""
    request = getattr(record, "request", None)
    # django.server passes its socket as `request`; only an HttpRequest has a method.
    method = getattr(request, "method", None)
    if not method:
        return ""
    # Imported here: this module is loaded while logging is configured, before the apps.
    from acupressure.middleware import client_ip

    fields = {
        "method": method,
        # Quoted, so a path holding spaces or line breaks cannot forge or split a line;
        # the query string is left out, as it may carry what a visitor typed.
        "path": request.path,
        "status": getattr(record, "status_code", None),
        "client": client_ip(request),
    }
    return " ".join(
        f"{name}={quote(str(value), safe='/:@!$&()*+,;=.-_~')}"
        for name, value in fields.items()
        if value not in (None, "")
    )


class RequestContextFormatter(logging.Formatter):
    """The usual line, with the request's context on it before any traceback."""

    def formatMessage(self, record):
        message = super().formatMessage(record)
        context = request_context(record)
        return f"{message} [{context}]" if context else message
