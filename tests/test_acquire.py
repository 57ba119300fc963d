"""Checksum-verified, cached acquisition over file:// and a local HTTP server (no network)."""

import functools
import hashlib
import http.server
import threading

import pandas as pd
import pytest

from lucarbon import acquire
from lucarbon.acquire import DownloadError, fetch, read_registry, registry_entry
from lucarbon.io import InputError

PAYLOAD = b"land cover bytes " * 1000


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "remote" / "lc_2000.tif"
    path.parent.mkdir()
    path.write_bytes(PAYLOAD)
    return path


@pytest.fixture
def http_server(source):
    """Serve the source folder on 127.0.0.1 and count requests."""
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=str(source.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()


def test_file_url_is_verified_and_cached(tmp_path, source, monkeypatch):
    cache = tmp_path / "cache" / "lc_2000.tif"
    assert fetch(source.as_uri(), md5(PAYLOAD), cache).read_bytes() == PAYLOAD
    calls = []
    monkeypatch.setattr(acquire, "copy_local_file", lambda *a: calls.append(a))
    fetch(source.as_uri(), md5(PAYLOAD), cache)
    assert calls == []  # the second run finds the verified copy and fetches nothing


def test_checksum_mismatch_leaves_nothing_and_says_where_to_put_the_file(tmp_path, source):
    cache = tmp_path / "cache" / "lc_2000.tif"
    with pytest.raises(DownloadError, match=r"lc_2000\.tif.*place it at .*cache/lc_2000\.tif"):
        fetch(source.as_uri(), "0" * 32, cache, retries=0)
    assert not cache.exists()
    assert list(cache.parent.iterdir()) == []


def test_http_download_then_cache_hit(tmp_path, http_server):
    base, requests = http_server
    cache = tmp_path / "cache" / "lc_2000.tif"
    fetch(f"{base}/lc_2000.tif", md5(PAYLOAD), cache, retries=0)
    fetch(f"{base}/lc_2000.tif", md5(PAYLOAD), cache, retries=0)
    assert cache.read_bytes() == PAYLOAD
    assert requests == ["/lc_2000.tif"]


def test_http_404_gives_the_clear_error(tmp_path, http_server):
    base, _ = http_server
    with pytest.raises(DownloadError, match=r"Could not fetch http://127\.0\.0\.1:\d+/missing"):
        fetch(f"{base}/missing.tif", md5(PAYLOAD), tmp_path / "c" / "missing.tif", retries=0)


def test_registry_relative_urls_resolve_against_the_registry(tmp_path):
    registry = tmp_path / "registry.csv"
    pd.DataFrame(
        [
            ("landcover", "v1", 2000, "lc/a.tif", "ab", "CC0", "x"),
            ("boundaries", "v1", None, "https://example.org/b.zip", "cd", "CC0", "y"),
        ],
        columns=acquire.REGISTRY_COLUMNS,
    ).to_csv(registry, index=False)
    table = read_registry(registry)
    assert registry_entry(table, registry, "landcover", 2000)["url"] == (
        (tmp_path / "lc" / "a.tif").as_uri()
    )
    assert registry_entry(table, registry, "boundaries")["url"] == "https://example.org/b.zip"
    with pytest.raises(InputError, match=r"registry\.csv: expected exactly one row for dataset "):
        registry_entry(table, registry, "landcover", 2005)
