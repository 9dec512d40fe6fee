"""Counts the SQL queries each request runs and reports them in an `X-Queries` header.

Only the benchmark's settings (tools/bench_settings.py) install it. It sits outermost, so
the count takes in everything a request costs: the view, the session and the page cache.
"""

from contextlib import ExitStack

from django.db import connections


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(get_response):
    def middleware(request):
        counter = QueryCounter()
        with ExitStack() as stack:
            # Each thread has connection objects of its own, so counts never mix.
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = get_response(request)
        response["X-Queries"] = str(counter.count)
        return response

    return middleware
