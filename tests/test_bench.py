"""A short run of the benchmark (tools/bench.py): its server, clients and report work.

The figures are not judged against the targets here: timings on a shared machine would
make that flaky. `make bench` does it and prints the outcome.
"""

import json
import re

import pytest

from tools import bench

pytestmark = pytest.mark.server

STATIC_ROW = ["static", "file", "python"]


@pytest.fixture
def output(tmp_path):
    """Where the report goes, with a run before it to compare with."""
    path = tmp_path / "bench-results" / "latest.json"
    path.parent.mkdir()
    earlier_static = {"key": "static", "client": "python", "rps": 1.0, "p99_ms": 1.0}
    earlier = {
        "started_at": "the earlier run",
        "runs": [{"size": "a", "mode": "cold", "results": [earlier_static]}],
    }
    path.write_text(json.dumps(earlier))
    return path


def test_a_short_run_reports_sane_figures_for_pages_and_builder(output, capsys):
    bench.main(
        [
            *("--sizes", "a", "--modes", "cold", "--seconds", "1", "--client", "python"),
            *("--urls", "static,home,add", "--workers", "1", "--plain-static"),
            *("--output", str(output)),
        ]
    )

    report = json.loads(output.read_text())
    assert json.loads(output.with_name("previous.json").read_text())["started_at"] == (
        "the earlier run"
    )
    assert report["compared_with"] == "the earlier run"
    (run,) = report["runs"]
    assert (run["size"], run["mode"], run["data"]["points"]) == ("a", "cold", 16)
    rows = {row["key"]: row for row in run["results"]}
    assert list(rows) == ["static", "home", "add", "static_end"]
    for row in rows.values():
        assert row["client"] == "python"
        assert row["requests"] > 0
        assert row["rps"] > 0
        assert row["p99_ms"] >= row["p50_ms"] > 0
        assert isinstance(row["queries_per_request"], int)
        assert row["non_2xx"] == row["socket_errors"] == 0
        assert row["bytes_per_response"] > 0
        assert row["ratio"] > 0

    static, home, add = rows["static"], rows["home"], rows["add"]
    assert static["url"].startswith("/static/")
    assert static["url"] == rows["static_end"]["url"]
    assert static["queries_per_request"] == rows["static_end"]["queries_per_request"] == 0
    # The baseline is the mean of the static file's first and last run.
    baseline = run["baseline_rps"]["python"]
    assert baseline == pytest.approx((static["rps"] + rows["static_end"]["rps"]) / 2, abs=0.1)
    assert home["ratio"] == pytest.approx(baseline / home["rps"], abs=0.01)
    # With the page cache off the home page reads the database: the header counts it.
    assert home["queries_per_request"] > 0
    assert (add["method"], add["database_locked"]) == ("POST", 0)
    # Adding a point reads the point and writes the visitor's routine.
    assert add["queries_per_request"] > 0
    assert run["database_locked"] == 0

    statuses = {line["target"]: line["status"] for line in report["targets"]}
    assert statuses["builder actions: 0 errors"] == "MET"
    assert statuses["warm public pages: ratio ≤ 2"] == "NOT MEASURED"
    assert statuses["cold, 361 points: point detail ≤ 4× static"] == "NOT MEASURED"

    printed = capsys.readouterr().out
    static_row = next(line for line in printed.splitlines() if line.split()[:3] == STATIC_ROW)
    # Against the earlier run's 1 request a second: a rise, in the "Δ req/s" column, the
    # first signed percentage of the row. (Split on spaces it is not always a word of its
    # own: a wide "Δ p99" such as +10000% fills its column and touches it.)
    rise = re.findall(r"[+-]\d+%", static_row)[0]
    assert rise.startswith("+"), static_row
    assert "builder: add" in printed
    assert "MET          builder actions: 0 errors" in printed
