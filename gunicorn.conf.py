"""gunicorn's settings, for `make run`, the tests' servers (tools/server.py) and production
alike: gunicorn reads ./gunicorn.conf.py from the folder it starts in. The command line
gives only what differs between them, such as the address to bind.

gunicorn never faces clients on the internet. In production it listens on loopback or a
private address behind nginx (README, "Running in production"), which holds slow and idle
connections itself and passes a request on only once it has all of it. A worker of any
kind that reads from the client's own socket can be held: a connection that sends nothing,
or half a request, keeps a thread waiting. Twenty idle and ten half-sent connections kept
two workers of four threads terminating TLS from answering a static file for 90 s; with
nginx in front it took 0.03 s.
"""

import os

wsgi_app = "acupressure.wsgi"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]

# Threads, so that a worker answers several requests at once, and a connection kept alive
# between requests (browsers, nginx's upstream connections) waits in the worker's poller,
# not in a thread. A thread's database connection is its own (CONN_MAX_AGE).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# How long an idle kept-alive connection is kept before it is closed.
keepalive = 5
# A request that takes longer than this is cut off and its worker restarted.
timeout = 30
graceful_timeout = 20

accesslog = "-"
errorlog = "-"
