"""The load benchmark's generator counts right (benchmarks/load/loadgen.py),
and its report marks each row against the goal (report.py).

Against a tiny local server: answers with the expected status count as
requests, others and failed connections as errors; chunked and keep-alive
answers are read whole. No assertion depends on how fast anything is.
"""

from __future__ import annotations

import math
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.load.loadgen import Result, Sample, Target, percentile, run, summarise
from benchmarks.load.report import BASELINE, PUBLIC, SIGNED_IN, Row, reasons, table, verdict


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/ok":
            self._send(200, b"hello", close=False)
        elif self.path == "/close":
            self._send(200, b"bye", close=True)
        elif self.path == "/fail":
            self._send(500, b"broken", close=False)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"abc", b"defgh"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._send(404, b"", close=False)

    def _send(self, status: int, body: bytes, *, close: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def load(port: int, path: str, expect: int = 200) -> Result:
    return run(
        Target("127.0.0.1", port, path, expect=expect),
        concurrency=2,
        seconds=0.3,
        warmup=0.05,
        processes=1,
    )


def test_it_takes_the_nearest_rank_percentile() -> None:
    values = [float(n) for n in range(1, 101)]  # 1 .. 100
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2
    assert math.isnan(percentile([], 0.5))
    with pytest.raises(ValueError, match="fraction"):
        percentile(values, 0)


def test_it_summarises_latencies_in_milliseconds_and_counts_errors() -> None:
    sample = Sample(latencies=[0.004, 0.001, 0.003, 0.002], body_bytes=400)
    sample.errors.update({"HTTP 500": 2, "ConnectionResetError": 1})
    result = summarise(sample, concurrency=3, seconds=2.0)
    assert result.requests == 4
    assert result.rps == 2.0
    assert result.errors == 3
    assert result.error_kinds == {"HTTP 500": 2, "ConnectionResetError": 1}
    assert (result.p50, result.p95, result.p99) == pytest.approx((2.0, 4.0, 4.0))
    assert result.mean_bytes == 100


def test_it_counts_answers_with_the_expected_status_on_a_kept_alive_connection(
    server: int,
) -> None:
    result = load(server, "/ok")
    assert result.requests > 0
    assert result.errors == 0
    assert result.mean_bytes == 5
    # Two workers, each on one kept-alive connection.
    assert result.connections == 2


def test_it_reconnects_when_the_server_closes_after_each_answer(server: int) -> None:
    result = load(server, "/close")
    assert result.errors == 0
    assert result.requests > 0
    assert result.connections >= result.requests


def test_it_reads_chunked_answers_whole(server: int) -> None:
    result = load(server, "/chunked")
    assert result.errors == 0
    assert result.requests > 0
    assert result.mean_bytes == 8


def test_it_counts_another_status_as_an_error_and_not_as_a_request(server: int) -> None:
    result = load(server, "/fail")
    assert result.requests == 0
    assert result.errors > 0
    assert set(result.error_kinds) == {"HTTP 500"}
    assert math.isnan(result.p99)
    # ... unless that status is what the page should answer.
    expected = load(server, "/fail", expect=500)
    assert expected.errors == 0
    assert expected.requests > 0


def test_it_counts_a_refused_connection_as_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # nobody listens once it is closed
    result = load(closed_port, "/ok")
    assert result.requests == 0
    assert result.errors > 0
    assert set(result.error_kinds) == {"ConnectionRefusedError"}


def test_it_spreads_the_workers_over_processes(server: int) -> None:
    result = run(
        Target("127.0.0.1", server, "/ok"), concurrency=3, seconds=0.3, warmup=0.05, processes=2
    )
    assert result.errors == 0
    assert result.connections == 3


def row(kind: str, concurrency: int, rps: float, p99: float, errors: int = 0) -> Row:
    result = Result(
        concurrency=concurrency,
        seconds=3,
        requests=int(rps * 3),
        errors=errors,
        error_kinds={"HTTP 500": errors} if errors else {},
        rps=rps,
        p50=p99 / 2,
        p95=p99,
        p99=p99,
        mean_bytes=1000,
        connections=1,
    )
    return Row("PostgreSQL", "page", "/page/", kind, concurrency, result=result)


def test_it_marks_each_row_against_the_goal() -> None:
    assert verdict(row(SIGNED_IN, 10, rps=250, p99=200)) == "met"
    assert verdict(row(SIGNED_IN, 10, rps=150, p99=300)) == "missed: < 200/s, p99 ≥ 250 ms"
    assert verdict(row(SIGNED_IN, 50, rps=150, p99=900)) == "met"
    assert verdict(row(SIGNED_IN, 50, rps=150, p99=900, errors=1)) == "missed: errors"
    assert verdict(row(SIGNED_IN, 50, rps=150, p99=1200)) == "missed: p99 ≥ 1 s"
    assert verdict(row(PUBLIC, 10, rps=400, p99=100)) == "missed: < 500/s"
    assert verdict(row(PUBLIC, 10, rps=600, p99=100)) == "met"
    assert verdict(row(BASELINE, 10, rps=10, p99=5000)) == "baseline"
    assert verdict(row(SIGNED_IN, 10, rps=0, p99=math.nan)).startswith("missed: no answer")


def test_it_names_the_reason_of_each_page_that_misses_the_goal_once() -> None:
    slow = row(SIGNED_IN, 10, rps=50, p99=400)
    slow.why = "twelve sections, a query each"
    slow_again = row(SIGNED_IN, 50, rps=50, p99=1200)
    slow_again.why = slow.why
    fast = row(SIGNED_IN, 10, rps=250, p99=100)
    fast.label, fast.why = "fast page", "never shown"
    unexplained = row(SIGNED_IN, 10, rps=10, p99=900)
    unexplained.label = "new page"

    lines = reasons([slow, slow_again, fast, unexplained])

    assert lines == ["page: twelve sections, a query each", "new page: no reason recorded yet"]
    assert "Why the pages that miss the goal do:" in table("PostgreSQL", [slow, fast])
