"""Shell completion: the scripts in real bash, zsh and fish (each shell's own way of asking
for completions, and a terminal under tmux), and the fast `__complete targets` behind them."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher import paths, target_names
from switcher.model import Account, SourceKind, Target, Way
from switcher.store import inventory
from switcher.store.inventory import InventoryCache

WAY = (Way(SourceKind.SSO, sso_session="s"),)
TARGETS = [
    Target(Account("111111111111", "storefront-dev"), "ReadOnlyAccess", WAY),
    Target(Account("222222222222", "storefront-prod"), "AdministratorAccess", WAY,
           profile_names=("shop-admin",)),
    Target(Account("333333333333", "payments-dev"), "ReadOnlyAccess", WAY),
    Target(Account("444444444444", "team space"), "Admin", WAY),
    Target(Account("555555555555", "ev\x1b[2Jil"), "Admin", WAY),
]
BIN = str(Path(sys.executable).parent)  # where the `switcher` script is installed


@pytest.fixture
def cached(isolated_home: Path) -> dict[str, str]:
    """An inventory cache, and the environment of a shell that completes from it."""
    InventoryCache(paths.cache_dir() / "inventory.json").save(TARGETS)
    return {"HOME": str(isolated_home), "PATH": f"{BIN}:/usr/bin:/bin", "LANG": "C.UTF-8",
            "TERM": "xterm-256color"}


def _script(shell: str, home: str) -> str:
    path = Path(home) / f"completion.{shell}"
    finished = subprocess.run([sys.executable, "-m", "switcher", "completion", shell],
                              capture_output=True, text=True, timeout=60, check=True)
    path.write_text(finished.stdout)
    return str(path)


def _complete(*words: str) -> list[str]:
    return subprocess.run([sys.executable, "-m", "switcher", "__complete", *words],
                          capture_output=True, text=True, timeout=60,
                          check=True).stdout.splitlines()


def test_target_names_come_from_the_cache(cached: dict[str, str]) -> None:
    assert _complete("targets", "sto") == ["storefront-dev/ReadOnlyAccess",
                                           "storefront-prod/AdministratorAccess"]
    assert _complete("targets", "STOREFRONT-P") == ["storefront-prod/AdministratorAccess"]
    assert _complete("targets", "shop") == ["shop-admin"]
    assert _complete("targets", "22") == ["222222222222/AdministratorAccess"]
    everything = _complete("targets")
    assert "team space/Admin" in everything
    assert not [n for n in everything if n[:1].isdigit()]  # ids only once a digit is typed
    assert not [n for n in everything if "\x1b" in n or n.startswith("ev")]  # not typeable
    # The cache changes: so do the names (the index beside it is made again).
    time.sleep(0.01)
    InventoryCache(paths.cache_dir() / "inventory.json").save(TARGETS[2:4])
    assert _complete("targets", "") == ["payments-dev/ReadOnlyAccess", "team space/Admin"]


def test_no_cache_no_names(isolated_home: Path) -> None:
    assert _complete("targets", "sto") == []


def test_the_index_format_and_cache_folder_agree_with_the_store() -> None:
    assert target_names.INVENTORY_FORMAT == inventory.FORMAT_VERSION
    for environment in ({"HOME": "/h"}, {"HOME": "/h", "XDG_CACHE_HOME": "/x"},
                        {"HOME": "/h", "XDG_CACHE_HOME": "/x", "SWITCHER_CACHE_DIR": "/s"}):
        assert target_names.cache_dir(environment) == str(paths.cache_dir(environment))


COMPLETE_IMPORTS = (
    "import sys\nsys.argv = ['switcher', '__complete', 'targets', 'sto']\n"
    "from switcher.__main__ import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', "
    "'textual', 'argparse', 'json', 'dataclasses', 'typing') or m == 'switcher.cli'), "
    "file=sys.stderr)")


def test_completing_targets_imports_nothing_heavy(cached: dict[str, str]) -> None:
    _complete("targets", "")  # makes the index; what follows is the warm path
    finished = subprocess.run([sys.executable, "-c", COMPLETE_IMPORTS], capture_output=True,
                              text=True, timeout=60, check=True)
    assert finished.stdout.splitlines() == ["storefront-dev/ReadOnlyAccess",
                                            "storefront-prod/AdministratorAccess"]
    assert finished.stderr.strip() == "[]"


def _bash(script: str, environment: dict[str, str], *words: str) -> list[str]:
    """What the completion function offers with the cursor at the end of `words`."""
    array = " ".join(shlex.quote(w) for w in words)
    code = (f"source {shlex.quote(script)}; COMP_WORDS=({array}); "
            f"COMP_CWORD={len(words) - 1}; _switcher; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    finished = subprocess.run(["bash", "--norc", "--noprofile", "-c", code], env=environment,
                              capture_output=True, text=True, timeout=60, check=True)
    return [line for line in finished.stdout.splitlines() if line]


def test_bash_completes_commands_options_regions_and_targets(cached: dict[str, str]) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = _script("bash", cached["HOME"])
    assert _bash(script, cached, "switcher", "con") == ["console"]
    assert set(_bash(script, cached, "switcher", "")) >= {
        "login", "list", "console", "shell", "exec", "env", "completion"}
    assert _bash(script, cached, "switcher", "console", "sto") == [
        "storefront-dev/ReadOnlyAccess", "storefront-prod/AdministratorAccess"]
    assert _bash(script, cached, "switcher", "--debug", "shell", "pay") == [
        "payments-dev/ReadOnlyAccess"]
    assert _bash(script, cached, "switcher", "console", "team") == ["team\\ space/Admin"]
    assert _bash(script, cached, "switcher", "console", "--reg") == ["--region"]
    assert _bash(script, cached, "switcher", "exec", "--region", "eu-west-") == [
        "eu-west-1", "eu-west-2", "eu-west-3"]
    assert _bash(script, cached, "switcher", "env", "--format", "f") == ["fish"]
    assert _bash(script, cached, "switcher", "keys", "") == ["add", "list", "remove", "import"]
    assert _bash(script, cached, "switcher", "list", "sto") == []


def test_fish_completes_commands_options_and_targets(cached: dict[str, str]) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed")
    script = _script("fish", cached["HOME"])

    def fish(line: str) -> list[str]:
        code = f"source {shlex.quote(script)}; complete -C {shlex.quote(line)}"
        finished = subprocess.run(["fish", "--no-config", "-c", code], env=cached,
                                  capture_output=True, text=True, timeout=60, check=True)
        return [row.split("\t")[0] for row in finished.stdout.splitlines()]

    assert "console" in fish("switcher con")
    assert fish("switcher console sto") == ["storefront-dev/ReadOnlyAccess",
                                            "storefront-prod/AdministratorAccess"]
    assert "team space/Admin" in fish("switcher env te")
    assert fish("switcher console --regi") == ["--region"]
    assert fish("switcher shell --region eu-west-") == ["eu-west-1", "eu-west-2", "eu-west-3"]
    assert fish("switcher exec sto -- ") == []  # the command after -- is not a target


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []),
                        "--", *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture
def shell_in_tmux(cached: dict[str, str], request: pytest.FixtureRequest) -> Iterator[Terminal]:
    shell = str(request.param)
    if shutil.which("tmux") is None or shutil.which(shell) is None:
        pytest.skip(f"tmux and {shell} are needed")
    script = _script(shell, cached["HOME"])
    command = {"bash": "bash --norc --noprofile", "zsh": "zsh -f"}[shell]
    environment = " ".join(f"{k}={shlex.quote(v)}" for k, v in cached.items())
    name = f"switcher-completion-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120",
                    "-y", "20", f"env -i {environment} PS1='$ ' {command}"], check=True)
    terminal = Terminal(name)
    try:
        load = (f"source {shlex.quote(script)}" if shell == "bash" else
                f"autoload -Uz compinit && compinit -u -D && source {shlex.quote(script)}")
        terminal.keys(f"PS1='$ '; {load}; echo loaded", literal=True)
        terminal.keys("Enter")
        terminal.wait_for("\nloaded\n$")
        yield terminal
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


@pytest.mark.tmux
@pytest.mark.parametrize("shell_in_tmux", ["bash", "zsh"], indirect=True)
def test_tab_completes_in_a_real_shell(shell_in_tmux: Terminal) -> None:
    term = shell_in_tmux
    # (tmux drops the spaces at the end of a line: what follows shows the one completion adds)
    term.keys("switcher con", literal=True)
    term.keys("Tab")
    term.wait_for("$ switcher console")
    term.keys("storefront-p", literal=True)
    term.keys("Tab")
    term.wait_for("$ switcher console storefront-prod/AdministratorAccess")
    term.keys("--reg", literal=True)
    term.keys("Tab")
    term.wait_for("$ switcher console storefront-prod/AdministratorAccess --region")
    term.keys("eu-central-", literal=True)
    term.keys("Tab", "Tab")  # ambiguous: the choices are listed
    shown = term.wait_for("eu-central-2")
    assert "eu-central-1" in shown
