"""A local HTTP server on 127.0.0.1 for download tests: Range support, byte counting, and
misbehaviour on demand (status codes, delays, truncated or corrupted bodies). No network."""

from __future__ import annotations

import contextlib
import http.server
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ServerState:
    """What the server serves and what it saw."""

    root: Path
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    bytes_sent: int = 0
    status: dict[str, int] = field(default_factory=dict)  # path -> forced status code
    delay_s: dict[str, float] = field(default_factory=dict)  # path -> delay before answering
    truncate: set[str] = field(default_factory=set)  # paths whose body is cut in half
    corrupt: set[str] = field(default_factory=set)  # paths whose bytes are altered
    # path -> how many more requests get the misbehaviour above (absent: every request)
    times: dict[str, int] = field(default_factory=dict)


def make_handler(state: ServerState):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.respond(body=False)

        def do_GET(self):
            self.respond(body=True)

        def respond(self, body: bool) -> None:
            path = self.path.split("?")[0]
            state.requests.append((self.command, path))
            misbehave = state.times.get(path, 1) > 0
            if path in state.times:
                state.times[path] -= 1
            if misbehave:
                time.sleep(min(state.delay_s.get(path, 0.0), 10.0))
            file = state.root / path.lstrip("/")
            if (misbehave and path in state.status) or not file.is_file():
                code = state.status.get(path, 404)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = file.read_bytes()
            if misbehave and path in state.corrupt:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            start, end = 0, len(data) - 1
            match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            if match:
                start = int(match.group(1))
                end = min(int(match.group(2)) if match.group(2) else end, len(data) - 1)
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            else:
                self.send_response(200)
            chunk = data[start : end + 1]
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if not body:
                return
            if misbehave and path in state.truncate:
                chunk = chunk[: len(chunk) // 2]
                self.close_connection = True
            self.wfile.write(chunk)
            state.bytes_sent += len(chunk)

    return Handler


class LocalServer:
    """Context manager: serve ``root`` on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, root: Path):
        self.state = ServerState(root)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> LocalServer:
        # A short poll interval: shutdown() returns within it (the default waits 0.5 s).
        kwargs = {"poll_interval": 0.05}
        threading.Thread(target=self.server.serve_forever, kwargs=kwargs, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def serving(root: Path, files: dict[str, bytes]):
    """A LocalServer over ``root`` (made) holding ``files`` (name → bytes)."""
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    with LocalServer(root) as server:
        yield server
