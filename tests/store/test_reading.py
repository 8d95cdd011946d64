"""Bounded reads: FIFOs, devices and huge files are refused with a message, never waited on
or read until memory runs out; the commands that read them say so and go on or stop."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher.errors import ConfigError
from switcher.sources.switchroles import read_aesr_source
from switcher.store.awsconfig import load_aws_config
from switcher.store.reading import FileTooLargeError, NotRegularFileError, read_regular


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "config"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(NotRegularFileError, match="a FIFO"):
        read_regular(fifo)
    assert time.monotonic() - started < 1


def test_a_device_is_refused() -> None:
    with pytest.raises(NotRegularFileError, match="a device"):
        read_regular(Path("/dev/zero"))


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"#" * 2048)
    assert read_regular(big, limit=4096) == b"#" * 2048
    with pytest.raises(FileTooLargeError, match="larger than"):
        read_regular(big, limit=1024)


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles-config"
    real.write_text("[default]\nregion = eu-west-1\n")
    link = tmp_path / "config"
    link.symlink_to(real)
    assert load_aws_config(link).profiles["default"]["region"] == "eu-west-1"


def test_an_aws_config_that_is_a_fifo_is_a_config_error(tmp_path: Path) -> None:
    fifo = tmp_path / "config"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_aws_config(fifo)


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("variable", ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"])
def test_the_cli_says_what_is_wrong_instead_of_hanging(tmp_path: Path, kind: str,
                                                         variable: str) -> None:
    if kind == "fifo":
        path = tmp_path / "file"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    finished = subprocess.run([sys.executable, "-m", "switcher", "list"],
                              env={**os.environ, variable: str(path)}, capture_output=True,
                              text=True, timeout=60, check=False)
    assert finished.returncode == 1
    assert "not a regular file" in finished.stderr
    assert "Traceback" not in finished.stderr


class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b"#")
            self.wfile.flush()
            time.sleep(0.1)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def trickling_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/aesr.ini"
    finally:
        server.shutdown()
        server.server_close()


def test_an_aesr_url_that_trickles_is_cut_off_at_the_deadline(trickling_server: str) -> None:
    started = time.monotonic()
    with pytest.raises(OSError, match=r"no complete answer within 0\.5 s"):
        read_aesr_source(trickling_server, deadline=0.5)
    assert time.monotonic() - started < 1.5
