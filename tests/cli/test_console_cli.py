"""`switcher console` as a user runs it: logout-first only with federation."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.test_cli import _run
from tests.conftest import Setup


def test_logout_first_with_switchrole_is_refused_in_one_line(setup: Setup) -> None:
    setup.sign_in(setup.workspace()).targets()
    refused = _run("console", "shared-deployer", "--method", "switchrole", "--logout-first",
                   "--print-url")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "--logout-first works only with federation" in refused.stderr
    assert "switches from" in refused.stderr


def test_logout_first_from_config_is_ignored_for_switchrole_with_a_warning(
        setup: Setup) -> None:
    setup.sign_in(setup.workspace()).targets()
    config = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[console]\nlogout_first = true\n")
    printed = _run("console", "shared-deployer", "--method", "switchrole", "--print-url")
    assert printed.returncode == 0, printed.stderr
    assert "/switchrole?" in printed.stdout and "oauth" not in printed.stdout
    assert "logout_first is ignored for switchrole" in printed.stderr
    federated = _run("console", "shared-deployer", "--print-url")
    assert federated.returncode == 0, federated.stderr
    assert "/oauth?Action=logout" in federated.stdout
    assert "ignored" not in federated.stderr
