"""Long-lived keys in a real file-based keyring backend (keyrings.alt) in a temporary folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.emulator.organization import IAM_USER_ACCESS_KEY_ID, IAM_USER_SECRET_ACCESS_KEY
from tests.conftest import Setup


@pytest.fixture
def keyring_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def _switcher(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def _stored(home: Path, key: str) -> str | None:
    """What the file backend holds, read by the backend itself (it stores base64)."""
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(home / "python_keyring" / "keyring_pass.cfg")
    stored: str | None = backend.get_password("switcher", key)
    return stored


def test_add_list_use_and_remove(setup: Setup, keyring_home: Path) -> None:
    credentials = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    credentials.write_text("")  # the IAM user's keys now live only in the keyring
    added = _switcher("keys", "add", "jane-iam",
                      stdin=f"{IAM_USER_ACCESS_KEY_ID}\n{IAM_USER_SECRET_ACCESS_KEY}\n")
    assert added.returncode == 0, added.stderr
    assert IAM_USER_SECRET_ACCESS_KEY not in added.stdout + added.stderr
    assert IAM_USER_SECRET_ACCESS_KEY in (_stored(keyring_home, "profile:jane-iam") or "")
    assert _switcher("keys", "list").stdout.split() == ["jane-iam"]
    # the chain jane-iam (keyring) -> OrganizationReader works
    used = _switcher("exec", "management-org-reader", "--", sys.executable, "-c",
                     "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])")
    assert used.returncode == 0, used.stderr
    assert ":assumed-role/OrganizationReader/" in used.stdout
    assert _switcher("keys", "remove", "jane-iam").returncode == 0
    assert _switcher("keys", "list").stdout.split() == []
    assert _stored(keyring_home, "profile:jane-iam") is None
    gone = _switcher("exec", "management-org-reader", "--", "true")
    assert gone.returncode == 1 and "'jane-iam' has no credentials" in gone.stderr


def test_import_from_the_credentials_file_with_backup(setup: Setup, keyring_home: Path) -> None:
    credentials = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    original = ("# my comment, kept\n[other]\naws_access_key_id = AKIAOTHER\n"
                "aws_secret_access_key = other-secret\naws_session_token = temp\n\n"
                + credentials.read_text() + "\n[last]  \n; trailing comment\nregion=x\n")
    credentials.write_text(original)
    imported = _switcher("keys", "import", "jane-iam", "--remove-from-file")
    assert imported.returncode == 0, imported.stderr
    after = credentials.read_text()
    assert IAM_USER_SECRET_ACCESS_KEY not in after
    assert after.startswith(original[: original.index("# Long-lived keys")])
    assert after.endswith("[last]  \n; trailing comment\nregion=x\n")
    backups = list(credentials.parent.glob("credentials.switcher-backup-*"))
    assert len(backups) == 1
    assert IAM_USER_SECRET_ACCESS_KEY not in backups[0].read_text()
    assert backups[0].read_text() == original.replace(
        IAM_USER_SECRET_ACCESS_KEY, "<moved to the OS keyring by switcher>")
    assert "redacted" in imported.stderr
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert _switcher("keys", "list").stdout.split() == ["jane-iam"]


def test_no_keyring_backend_is_a_clear_error(setup: Setup,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    failed = _switcher("keys", "list")
    assert failed.returncode == 1 and "No OS keyring" in failed.stderr
    assert "Traceback" not in failed.stderr


ARN = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"


def test_sessions_kept_in_the_keyring_when_asked(signed_in: object, setup: Setup,
                                                 keyring_home: Path) -> None:
    from switcher.emulator.organization import IAM_USER_MFA_SEED
    from switcher.emulator.totp import totp

    def glass(stdin: str) -> subprocess.CompletedProcess[str]:
        return _switcher("exec", "security-breakglass", "--", sys.executable, "-c", ARN,
                         stdin=stdin)

    first = glass(totp(IAM_USER_MFA_SEED) + "\n")
    assert first.returncode == 0, first.stderr
    assert ":assumed-role/BreakGlass/" in first.stdout
    # The warm cache (tests/cli/test_warm_credentials.py) would serve the next process
    # without asking, as the AWS CLI's own cache does; this test is about the MFA session.
    # (It went unnoticed while the first command's full discovery, writing the inventory
    # cache, happened to invalidate the warm entry; a named target no longer does that.)
    setup.workspace().forget_warm_credentials()
    again = glass("")  # a new process, no code: without the opt-in it must ask
    assert again.returncode == 1 and "MFA code" in again.stderr
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text("[credentials]\nkeyring_cache = true\n")
    assert glass(totp(IAM_USER_MFA_SEED) + "\n").returncode == 0
    setup.workspace().forget_warm_credentials()
    cached = glass("")  # no code given, none needed: the session comes from the keyring
    assert cached.returncode == 0, cached.stderr
    assert ":assumed-role/BreakGlass/" in cached.stdout
    assert _stored(keyring_home, "session:profile:security-breakglass")
    ours = [*Path(os.environ["SWITCHER_CACHE_DIR"]).rglob("*"),
            *Path(os.environ["SWITCHER_STATE_DIR"]).rglob("*")]
    assert not any(p.is_file() and "SessionToken" in p.read_text() for p in ours)
