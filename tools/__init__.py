"""What developers run beside the site: the benchmark, the gunicorn and nginx servers the
tests start, the Observatory grader and the sheet's font cutter."""
