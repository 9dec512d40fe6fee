"""The site's settings plus a query counter, for the benchmark's server (tools/bench.py).

The counter goes first rather than last so that it also counts what the middleware below
it does, such as saving the session after a routine-builder change.
"""

from acupressure.settings import *  # noqa: F403
from acupressure.settings import MIDDLEWARE

MIDDLEWARE = ["tools.bench_middleware.count_queries", *MIDDLEWARE]
