"""Downloads as pooch does them: a temporary file, size and sha256 checked, then moved into place (issue 14)."""
from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from wmr.core.errors import PinError
from wmr.kernel import pins

SERVED = b"year,value\n2024,42\n"


@pytest.fixture
def server():
    """A local HTTP server returning SERVED for any path (no network leaves the machine)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Length", str(len(SERVED)))
            self.end_headers()
            self.wfile.write(SERVED)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/data.csv"
    httpd.shutdown()
    httpd.server_close()


def _pin(url: str, content: bytes) -> pins.FilePin:
    return pins.FilePin(source="demo", name="data.csv", sha256=hashlib.sha256(content).hexdigest(), bytes=len(content),
                        download_url=url)


def test_a_download_matching_its_pin_is_moved_into_place(server, tmp_path, monkeypatch):
    monkeypatch.delenv(pins.OFFLINE_ENV, raising=False)
    target = tmp_path / "downloads" / "demo" / "data.csv"
    pins._download(_pin(server, SERVED), target)
    assert target.read_bytes() == SERVED
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.csv"]


@pytest.mark.parametrize("pinned", [SERVED + b"2025,43\n", SERVED.replace(b"42", b"43")],
                         ids=["wrong size", "wrong checksum"])
def test_a_download_not_matching_its_pin_is_deleted_and_explained(server, tmp_path, monkeypatch, pinned):
    monkeypatch.delenv(pins.OFFLINE_ENV, raising=False)
    target = tmp_path / "downloads" / "demo" / "data.csv"
    with pytest.raises(PinError) as err:
        pins._download(_pin(server, pinned), target)
    text = err.value.message()
    assert "The download of pinned file demo/data.csv does not match its pin; it was deleted" in text
    assert f"expected: {len(pinned)} bytes, sha256 {hashlib.sha256(pinned).hexdigest()}" in text
    assert f"got:      {len(SERVED)} bytes, sha256 {hashlib.sha256(SERVED).hexdigest()} from {server}" in text
    assert "fix:" in text
    assert list(target.parent.iterdir()) == []  # neither the file nor a temporary one


@pytest.mark.parametrize("damage", [False, True], ids=["the pinned bytes", "other bytes"])
def test_a_pinned_file_fetched_from_a_worker_is_checked_before_it_is_cached(tmp_path, monkeypatch, damage):
    """A cluster client without a mirror takes the files its assembly reads from a worker: checked as a download."""
    from .conftest import REAL_MIRROR

    monkeypatch.setenv("WMR_PROJECT_ROOT", str(pins.paths.project_root()))
    monkeypatch.setattr(pins.paths, "cache_dir", lambda: tmp_path / "cache")
    real = (REAL_MIRROR / "naturalearth-110m" / "ne_110m_admin_0_countries.json").read_bytes()
    data = real[:-1] + b"!" if damage else real
    target = tmp_path / "cache" / "downloads" / "naturalearth-110m" / "ne_110m_admin_0_countries.json"
    if damage:
        with pytest.raises(PinError) as err:
            pins.cache_fetched("naturalearth-110m", "ne_110m_admin_0_countries.json", data, "worker w1")
        assert "does not match its pin; it was deleted" in err.value.message() and "from worker w1" in err.value.message()
        assert list(target.parent.iterdir()) == []
    else:
        assert pins.cache_fetched("naturalearth-110m", "ne_110m_admin_0_countries.json", data, "worker w1") == target
        assert target.read_bytes() == real and sorted(p.name for p in target.parent.iterdir()) == [target.name]
