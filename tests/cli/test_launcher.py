"""A launcher nobody can misuse, from the command line: names that do not resolve say why,
regions are checked, an empty list explains itself, sign-in works without a browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from switcher import paths
from switcher.auth.token_cache import utcnow
from switcher.cli.output import PARTIAL_REFRESH
from switcher.errors import NoBrowserError
from switcher.model import Account, SourceKind, Target, Way
from switcher.services import signin
from switcher.store.inventory import InventoryCache
from switcher.workspace import Workspace
from tests.conftest import Setup, approve


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=120, env=env or dict(os.environ), check=False)


def test_a_name_that_does_not_resolve_while_signed_out_says_to_sign_in(setup: Setup) -> None:
    for run in range(2):
        finished = _run("console", "storefront-dev/ReadOnlyAccess", "--print-url")
        assert finished.returncode == 1
        assert "Not signed in to emulator" in finished.stderr
        assert "run `switcher login`" in finished.stderr
        assert "No target named" not in finished.stderr
        assert finished.stderr.count("\n") == 1 and not finished.stdout
        if run == 0:  # then signed in, but the token expired and cannot be refreshed
            workspace = setup.sign_in(setup.workspace())
            instance = workspace.instances()[0]
            token = workspace.signin.cache.load(instance)
            assert token is not None
            workspace.signin.cache.save(instance, replace(
                token, expires_at=utcnow() - timedelta(minutes=1), refresh_token=""))


def test_a_misspelt_name_gets_up_to_three_suggestions(signed_in: Workspace) -> None:
    signed_in.targets()
    for typed, expected in (("storefront-dve/ReadOnlyAccess", "storefront-dev/ReadOnlyAccess"),
                            ("storefront-dev/ReadOnlyAcess", "storefront-dev/ReadOnlyAccess"),
                            ("payments-prd", "payments-prod/")):
        finished = _run("console", typed, "--print-url")
        assert finished.returncode == 1
        line = finished.stderr.strip()
        assert f"No target named {typed!r}; did you mean {expected}" in line
        suggested = line.split("did you mean ")[1].split("?")[0].split(", ")
        assert 1 <= len(suggested) <= 3
    nothing = _run("console", "zzzz-qqqq/Nope", "--print-url")
    assert "did you mean" not in nothing.stderr


def test_suggested_names_are_shown_escaped(isolated_home: Path) -> None:
    # The cache holds remote discovery only: the name comes from a configured instance.
    config = isolated_home / ".aws" / "config"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[sso-session corp]\nsso_start_url = https://corp.example/start\n"
                      "sso_region = us-east-1\n")
    way = Way(SourceKind.SSO, sso_session="corp", start_url="https://corp.example/start",
              sso_region="us-east-1")
    hostile = Target(Account("123456789012", "ev\x1b[2Jil\u202eprod"), "Admin", (way,))
    InventoryCache(paths.cache_dir() / "inventory.json").save([hostile])
    finished = _run("console", "ev", "--print-url")
    assert finished.returncode == 1
    assert "did you mean ev\\x1b[2Jil\\u202eprod/Admin" in finished.stderr
    assert "\x1b" not in finished.stderr and "\u202e" not in finished.stderr


def test_regions_are_checked_and_normalised(signed_in: Workspace) -> None:
    signed_in.targets()
    for typed in ("mars-north-9", "xx", "eu-west-99"):
        refused = _run("console", "storefront-dev/ReadOnlyAccess", "--region", typed,
                       "--print-url")
        assert refused.returncode == 2 and not refused.stdout
        assert f"unknown region '{typed}'" in refused.stderr
    assert "did you mean eu-north-1" in _run(
        "exec", "storefront-dev/ReadOnlyAccess", "--region", "eu-nort-1", "--", "true").stderr
    shown = _run("exec", "storefront-dev/ReadOnlyAccess", "--region", "EU-WEST-1", "--",
                 sys.executable, "-c", "import os; print(os.environ['AWS_REGION'])")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "eu-west-1"
    url = _run("console", "storefront-dev/ReadOnlyAccess", "--region", "US-GOV-WEST-1",
               "--print-url")
    assert url.returncode == 0, url.stderr
    assert "unknown region" in _run("populate", "--dry-run", "--region", "mars-1").stderr


LIST_IMPORTS = (
    "import sys\nfrom switcher.cli import main\nstatus = main(['list'])\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', "
    "'textual')), file=sys.stderr)\nsys.exit(status)")


def test_list_from_the_cache_imports_no_sdk(signed_in: Workspace) -> None:
    signed_in.targets()
    finished = subprocess.run([sys.executable, "-c", LIST_IMPORTS], capture_output=True,
                              text=True, timeout=60, check=False)
    assert finished.returncode == 0
    assert "storefront-dev" in finished.stdout
    assert finished.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(_run("list", "--json").stdout)


def test_login_without_a_browser_falls_back_to_a_device_code(setup: Setup) -> None:
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM")
                   and not name.startswith("SSH_")}
    with subprocess.Popen([sys.executable, "-m", "switcher", "login"], env=environment,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as login:
        assert login.stderr is not None
        shown = []
        for line in login.stderr:
            shown.append(line)
            if line.startswith("  http"):  # the address, then it waits for the approval
                approve(line.strip())
                break
        else:
            raise AssertionError("no device code address was shown:\n" + "".join(shown))
        assert login.wait(timeout=60) == 0
        shown.append(login.stderr.read())
    said = "".join(shown)
    assert "No browser could be opened here; signing in with a device code instead" in said
    assert "Confirm the code" in said and "Waiting for you to confirm it" in said
    assert "Signed in to emulator" in said
    assert _run("list").stdout.count("sso:emulator") > 10


def test_the_service_falls_back_when_no_browser_opens(setup: Setup) -> None:
    workspace = setup.workspace()
    instance = workspace.instances()[0]
    codes: list[str] = []

    def no_browser(url: str) -> None:
        raise NoBrowserError("No browser found")

    def prompt(code: str, url: str) -> None:
        codes.append(code)
        approve(url)

    token = signin.login(workspace.signin, instance, prompt, no_browser, None, {})
    assert codes and token.start_url == instance.start_url
    assert workspace.signin.has_session(instance)


def test_an_empty_list_says_why_on_stderr(isolated_home: Path) -> None:
    for arguments in (("list",), ("list",), ("list", "--json"), ("list", "--refresh")):
        finished = _run(*arguments)  # the first run saves an empty cache; the second reads it
        assert finished.returncode == 0
        assert finished.stdout == ("[]\n" if "--json" in arguments else "")
        said = finished.stderr
        assert said.startswith("switcher: nothing to list; it read\n")
        for path in (".aws/config", ".aws/credentials", ".config/switcher/config.toml"):
            assert f"  {isolated_home / path}: not found\n" in said
        assert "None holds an [sso-session] or a profile" in said
        assert f"add an [sso-session] (sso_start_url, sso_region) to {isolated_home}" in said
        assert "then run `switcher login`" in said
        assert "To start, run `switcher setup`" in said
    config = isolated_home / ".aws" / "config"
    config.parent.mkdir()
    config.write_text("[default]\nregion = eu-west-1\n")
    said = _run("list", "--refresh").stderr
    assert f"  {config}: 1 profile\n" in said and "reach no account" in said


def test_an_empty_list_while_signed_out_says_to_sign_in(setup: Setup) -> None:
    # Only the [sso-session] is left: the profiles of the emulator's folder would be listed.
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text().split("[profile")[0])
    Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).unlink()
    finished = _run("list")
    # The instance could not be listed: a partial refresh (its status says so to scripts).
    assert finished.returncode == PARTIAL_REFRESH and not finished.stdout
    assert f"  {config}: 1 [sso-session]\n" in finished.stderr
    assert "Not signed in to emulator: run `switcher login`" in finished.stderr
