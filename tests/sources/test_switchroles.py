"""AWS Extend Switch Roles files (and URLs) and config.toml switch-role entries."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from switcher.model import SourceKind
from switcher.sources.switchroles import config_entries, parse_aesr, read_aesr_source

AESR = """\
; AESR configuration, as users keep it
[organization-base]
aws_account_id = 111111111111
target_role_name = Admin
target_region = eu-west-1

[profile shop-prod]               ; a target of the base
aws_account_id = 222222222222
source_profile = organization-base
color = f2b0a9

[shop-dev]
role_arn = arn:aws:iam::333333333333:role/team/Developer
source_profile = organization-base
region = us-east-2

[single]
aws_account_id = 444444444444
role_name = ReadOnly
color = 83d4e8
image = "https://example.com/x.png"

[broken-both]
aws_account_id = 555555555555
role_arn = arn:aws:iam::555555555555:role/X

[broken-id]
aws_account_id = 12345
role_name = R
bogus line without equals
[orphan]
aws_account_id = 666666666666
role_name = R
source_profile = nowhere
[single]
aws_account_id = 777777777777
"""


def test_aesr_targets_and_warnings_with_line_numbers() -> None:
    entries = parse_aesr(AESR, "aesr.ini", frozenset({"organization-base"}))
    found = {(t.account_id, t.role_name, t.region) for t in entries.targets}
    assert found == {("222222222222", "Admin", "eu-west-1"),
                     ("333333333333", "Developer", "us-east-2"),
                     ("444444444444", "ReadOnly", "")}
    developer = next(t for t in entries.targets if t.role_name == "Developer")
    assert developer.role_arn == "arn:aws:iam::333333333333:role/team/Developer"
    prod = next(t for t in entries.targets if t.account_id == "222222222222")
    way = prod.ways[0]
    assert way.kind is SourceKind.SWITCH_ROLE and way.display_name == "shop-prod"
    assert way.color == "f2b0a9" and way.source_profile == "organization-base"
    single = next(t for t in entries.targets if t.account_id == "444444444444")
    assert single.ways[0].source_profile == ""  # no AWS profile of that name
    text = "\n".join(entries.warnings)
    assert "aesr.ini:23: [broken-both] has both role_arn and aws_account_id" in text
    assert "aesr.ini:27: [broken-id] aws_account_id '12345'" in text
    assert "aesr.ini:30: not a `key = value` line" in text
    assert "aesr.ini:31: [orphan] names source_profile 'nowhere'" in text
    assert "aesr.ini:35: profile [single] is defined twice" in text


@pytest.mark.parametrize("junk", ["", "\x00\x01\x02", "[", "=\n=\n", "key = value\n",
                                  "[a]\n" * 500, "[p]\nrole_arn = arn:aws:iam::1:role/x\n"])
def test_junk_never_raises(junk: str) -> None:
    entries = parse_aesr(junk, "junk.ini")
    assert entries.targets == []


@pytest.fixture
def served() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = AESR.encode()
            self.send_response(200 if self.path == "/aesr.ini" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_aesr_from_url_and_file(served: str, tmp_path: Path) -> None:
    assert read_aesr_source(f"{served}/aesr.ini") == AESR
    with pytest.raises(OSError, match="cannot fetch"):
        read_aesr_source(f"{served}/missing.ini")
    path = tmp_path / "aesr.ini"
    path.write_text(AESR)
    assert read_aesr_source(str(path)) == AESR


def test_config_entries() -> None:
    entries = config_entries([
        {"account": "123456789012", "role": "Admin", "display_name": "Shop prod",
         "color": "#f2b0a9", "region": "eu-west-1", "source_profile": "jane-iam",
         "environment": "production"},
        {"account": "nope", "role": "Admin"},
    ], "config.toml")
    assert len(entries.targets) == 1 and len(entries.warnings) == 1
    target = entries.targets[0]
    assert target.explicit_environment == "production" and target.region == "eu-west-1"
    assert target.ways[0].source_profile == "jane-iam"
