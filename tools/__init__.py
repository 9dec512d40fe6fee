"""What developers run beside the site: the benchmark, the gunicorn and nginx servers and
the Chromium the tests start, the Observatory grader, the sheet's font cutter and the
screenshots."""
