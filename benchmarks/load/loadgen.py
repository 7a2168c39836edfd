"""A closed-loop HTTP load generator on raw sockets (standard library only).

N workers each send a GET, wait for the whole answer, and send the next one
at once (closed loop): the offered load is whatever the server can take at
concurrency N. The workers are threads spread over a few processes, so that
the generator's own Python does not cap the measurement (its ceiling is
measured by `ceiling()`; docs/performance.md gives it).

- HTTP/1.1 with keep-alive when the server keeps the connection open;
  gunicorn's sync workers close it after every answer, and then every request
  pays a new TCP connection, as a real client of that server would.
- Only answers that *finish* inside the measured window count; a warm-up
  before it is not measured, and requests still in flight at its end are
  waited for but dropped, so one run never spills into the next.
- An error is an answer with another status than expected (a redirect to the
  login page, a 500) or a failed request (refused, reset, timed out); errors
  count in the error column and not in the latencies, which are of the
  answers with the expected status.
- Percentiles: nearest rank on the sorted latencies (`percentile`).
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

TIMEOUT = 30.0


@dataclass(frozen=True)
class Target:
    """One page to load: where, with which headers, and the status that counts as success."""

    host: str
    port: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    expect: int = 200

    def request(self) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        lines += ["Accept-Encoding: identity", "Connection: keep-alive", "", ""]
        return "\r\n".join(lines).encode("latin-1")


@dataclass
class Sample:
    """What one process (or a whole run, merged) measured in the window."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful answers
    errors: Counter[str] = field(default_factory=Counter)
    body_bytes: int = 0
    connections: int = 0

    def merge(self, other: Sample) -> None:
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)
        self.body_bytes += other.body_bytes
        self.connections += other.connections


@dataclass(frozen=True)
class Result:
    concurrency: int
    seconds: float
    requests: int  # answered with the expected status
    errors: int
    error_kinds: dict[str, int]
    rps: float  # successful answers per second
    p50: float  # milliseconds
    p95: float
    p99: float
    mean_bytes: float
    connections: int


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below.

    `sorted_values` must be sorted; an empty list gives NaN.
    """
    if not sorted_values:
        return math.nan
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    rank = math.ceil(fraction * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


def summarise(sample: Sample, *, concurrency: int, seconds: float) -> Result:
    latencies = sorted(sample.latencies)
    errors = sum(sample.errors.values())
    done = len(latencies)
    return Result(
        concurrency=concurrency,
        seconds=seconds,
        requests=done,
        errors=errors,
        error_kinds=dict(sample.errors.most_common()),
        rps=done / seconds if seconds > 0 else math.nan,
        p50=percentile(latencies, 0.50) * 1000,
        p95=percentile(latencies, 0.95) * 1000,
        p99=percentile(latencies, 0.99) * 1000,
        mean_bytes=sample.body_bytes / done if done else math.nan,
        connections=sample.connections,
    )


class ProtocolError(Exception):
    pass


class _Connection:
    """One worker's connection: reopened whenever the server closes it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.request = target.request()
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.opened = 0

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self.buffer = b""

    def _recv(self) -> bytes:
        assert self.sock is not None
        data = self.sock.recv(65536)
        if not data:
            raise ProtocolError("connection closed mid-answer")
        return data

    def _read_until(self, marker: bytes) -> bytes:
        while True:
            index = self.buffer.find(marker)
            if index >= 0:
                head, self.buffer = self.buffer[:index], self.buffer[index + len(marker) :]
                return head
            self.buffer += self._recv()

    def _read_exactly(self, size: int) -> None:
        while len(self.buffer) < size:
            self.buffer += self._recv()
        self.buffer = self.buffer[size:]

    def get(self) -> tuple[int, int]:
        """Send the request and read the whole answer: (status, body bytes)."""
        if self.sock is None:
            self.sock = socket.create_connection((self.target.host, self.target.port), TIMEOUT)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.opened += 1
        self.sock.sendall(self.request)
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ProtocolError(f"bad status line {status_line[:40]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        keep_alive = parts[0] == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if "chunked" in headers.get("transfer-encoding", "").lower():
            size = 0
            while True:
                chunk = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if chunk == 0:
                    self._read_until(b"\r\n")  # no trailers expected
                    break
                self._read_exactly(chunk + 2)
                size += chunk
        elif "content-length" in headers:
            size = int(headers["content-length"])
            self._read_exactly(size)
        else:  # the body runs until the server closes
            while True:
                assert self.sock is not None
                data = self.sock.recv(65536)
                if not data:
                    break
                self.buffer += data
            size, keep_alive = len(self.buffer), False
        if not keep_alive:
            self.close()
        return status, size


def _worker(target: Target, start: float, measure_from: float, stop: float, out: Sample) -> None:
    connection = _Connection(target)
    while time.monotonic() < start:
        time.sleep(0.001)
    while True:
        began = time.monotonic()
        if began >= stop:
            break
        try:
            status, size = connection.get()
            error = None if status == target.expect else f"HTTP {status}"
        except (OSError, ProtocolError, ValueError) as exc:
            connection.close()
            error, size = type(exc).__name__, 0
        finished = time.monotonic()
        if measure_from <= finished <= stop:
            if error is None:
                out.latencies.append(finished - began)
                out.body_bytes += size
            else:
                out.errors[error] += 1
    connection.close()
    out.connections += connection.opened


def _run_threads(
    target: Target, threads: int, start: float, measure_from: float, stop: float
) -> Sample:
    samples = [Sample() for _ in range(threads)]
    workers = [
        threading.Thread(target=_worker, args=(target, start, measure_from, stop, sample))
        for sample in samples
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = Sample()
    for sample in samples:
        total.merge(sample)
    return total


def _process_main(
    target: Target, threads: int, start: float, measure_from: float, stop: float, queue: object
) -> None:
    sample = _run_threads(target, threads, start, measure_from, stop)
    queue.put(sample)  # type: ignore[attr-defined]


def run(
    target: Target,
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 1.0,
    processes: int = 2,
) -> Result:
    """Load `target` with `concurrency` closed-loop workers for `seconds` after `warmup`.

    The workers are split over `processes` processes (1: threads in this one).
    """
    processes = max(1, min(processes, concurrency))
    start = time.monotonic() + (0.3 if processes > 1 else 0.01)
    measure_from = start + warmup
    stop = measure_from + seconds
    if processes == 1:
        sample = _run_threads(target, concurrency, start, measure_from, stop)
    else:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        shares = [
            concurrency // processes + (i < concurrency % processes) for i in range(processes)
        ]
        children = [
            context.Process(
                target=_process_main,
                args=(target, share, start, measure_from, stop, queue),
                daemon=True,
            )
            for share in shares
        ]
        for child in children:
            child.start()
        sample = Sample()
        for _ in children:
            sample.merge(queue.get(timeout=seconds + warmup + TIMEOUT + 30))
        for child in children:
            child.join()
    return summarise(sample, concurrency=concurrency, seconds=seconds)


# ---------------------------------------------------------------- the generator's ceiling


def _fixed_server(listener: socket.socket) -> None:
    """Answer every request on `listener` with a tiny 200 and close, like a sync worker."""
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
        b"Connection: close\r\n\r\nok\n"
    )
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # terminate() ends it quietly
    while True:
        client, _ = listener.accept()
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    break
                data += chunk
            client.sendall(answer)
        except OSError:
            pass
        finally:
            client.close()


def ceiling(*, concurrency: int = 10, seconds: float = 3.0, processes: int = 2) -> Result:
    """The generator against a server that does (almost) nothing: two processes
    that accept, read the request and answer a fixed 200, closing the connection
    as gunicorn's sync workers do. A lower bound of what the generator can drive."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    context = multiprocessing.get_context("fork")
    servers = [
        context.Process(target=_fixed_server, args=(listener,), daemon=True) for _ in range(2)
    ]
    for server in servers:
        server.start()
    try:
        return run(
            Target("127.0.0.1", port, "/"),
            concurrency=concurrency,
            seconds=seconds,
            warmup=0.5,
            processes=processes,
        )
    finally:
        for server in servers:
            server.terminate()
            server.join()
        listener.close()
