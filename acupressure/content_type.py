"""Hand Django a Content-Type header it can always build a request from.

Django parses the Content-Type while it builds the request object, before its error
handling is in place, so a bad header there ends as a 500 from the WSGI server rather than
a 400: a charset with a NUL byte or an RFC 2231 parameter in an unknown encoding raises
ValueError, a charset that is a codec but not a text encoding (rot13, base64) raises
LookupError. Naming any charset also makes Django parse the query string at that moment,
so too many query fields gave a 500 instead of their 400.

The guide's pages and forms are all UTF-8, so a request is read as UTF-8 whatever charset
it names: the header keeps only the media type and, for multipart bodies, the boundary.
"""

from django.utils.http import parse_header_parameters


def readable_content_type(content_type):
    if ";" not in content_type:
        return content_type
    media_type = content_type.split(";", 1)[0].strip()
    if media_type.lower() != "multipart/form-data":
        # Only a multipart form needs a parameter, its boundary. Anything else, even a
        # media type with a stray quote that would swallow the parameters after it, goes
        # without them.
        return media_type
    try:
        boundary = parse_header_parameters(content_type)[1].get("boundary")
    except (LookupError, ValueError):  # the ValueErrors include UnicodeError
        boundary = None  # a multipart body without its boundary gets a 400
    if not boundary:
        return media_type
    quoted = boundary.replace("\\", "\\\\").replace('"', '\\"')
    return f'{media_type}; boundary="{quoted}"'


def read_as_utf8(application):
    """WSGI middleware around Django's application (see the module's docstring)."""

    def readable_request(environ, start_response):
        if "CONTENT_TYPE" in environ:
            environ["CONTENT_TYPE"] = readable_content_type(environ["CONTENT_TYPE"])
        return application(environ, start_response)

    return readable_request
