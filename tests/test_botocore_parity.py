"""botocore as the oracle: for real config shapes (by hand, and generated), switcher reads the
same profiles, values, regions and refusals as botocore, and a profile it lists works in
botocore exactly when switcher finds no problem with its chain.

Documented differences (README, "Sources"), each checked here:
- a profile whose account is not known offline (keys or a credential_process without
  `aws_account_id`) is not a target: switcher cannot list what it cannot name;
- nested values (`s3 =` then indented keys) are kept as text, not parsed: no target uses them;
- `credential_source` is checked by name: whether the environment, container or instance
  has credentials is known only when they are used;
- a role_arn that is not a role's ARN: botocore takes the profile for an assume-role one
  (it does not check the ARN; STS refuses it with a ValidationError when it is used), switcher
  does not list it (it names no account to list it under) and says so in one warning naming
  the profile and what is wrong.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import botocore.exceptions
import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from switcher.errors import ConfigError
from switcher.sources.profiles import profile_targets
from switcher.workspace import Workspace

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Admin"
PROCESS = """printf %s '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "s"}'"""

CORPUS: dict[str, tuple[str, str]] = {
    "sso profile and session": (
        "[sso-session corp]\nsso_start_url = https://corp.example/start\nsso_region = eu-west-1\n"
        f"[profile dev]\nsso_session = corp\nsso_account_id = {ACCOUNT}\n"
        "sso_role_name = Dev\nregion = eu-central-1\n", ""),
    "legacy sso profile without a region": (
        f"[profile old]\nsso_start_url = https://corp.example/start\nsso_region = us-east-2\n"
        f"sso_account_id = {ACCOUNT}\nsso_role_name = Old\n", ""),
    "role chain of depth three": (
        f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\nregion = ap-south-1\n"
        f"[profile b]\nrole_arn = arn:aws:iam::210987654321:role/Mid\nsource_profile = c\n"
        "[profile c]\nregion = us-west-2\n",
        "[c]\naws_access_key_id = AKIAC\naws_secret_access_key = s\n"),
    "role profile only in the credentials file": (
        "", f"[keys]\naws_access_key_id = AKIA\naws_secret_access_key = s\n"
            f"[ops]\nrole_arn = {ROLE}\nsource_profile = keys\nregion = eu-north-1\n"),
    "credentials file keys override the config's": (
        f"[profile mixed]\nregion = eu-west-3\naws_account_id = {ACCOUNT}\n"
        "aws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n",
        "[mixed]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n"),
    "source_profile loop": (
        f"[profile x]\nrole_arn = {ROLE}\nsource_profile = y\n"
        f"[profile y]\nrole_arn = {ROLE}\nsource_profile = x\n", ""),
    "missing source profile": (f"[profile lost]\nrole_arn = {ROLE}\nsource_profile = none\n", ""),
    "both source_profile and credential_source": (
        f"[profile both]\nrole_arn = {ROLE}\nsource_profile = k\ncredential_source = Environment\n"
        "[profile k]\naws_access_key_id = A\naws_secret_access_key = s\n", ""),
    "credential_process with an account id": (
        f"[profile proc]\ncredential_process = {PROCESS}\naws_account_id = {ACCOUNT}\n", ""),
    "keys without an account id (not listed)": (
        "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\nregion = us-east-1\n", ""),
    "AWS CLI sections, quoted names, default twice": (
        "[plugins]\ncli_legacy_plugin_path = /x\n[preview]\ncloudfront = true\n"
        "[toplevel]\nx = y\n[profile \"my team\"]\nregion = sa-east-1\n"
        f"role_arn = {ROLE}\nsource_profile = default\n"
        "[default]\naws_access_key_id = A\naws_secret_access_key = s\n"
        "[profile default]\nregion = ca-central-1\naws_access_key_id = B\n"
        "aws_secret_access_key = t\n", ""),
    "nested values and CRLF": (
        "[profile n]\r\nregion = me-south-1\r\ns3 =\r\n  addressing_style = path\r\n"
        f"role_arn = {ROLE}\r\ncredential_source = Environment\r\n", ""),
    # botocore opens the files in text mode: a lone CR ends a line as LF and CRLF do
    "CR line endings": (f"[profile mac]\rregion = eu-west-2\rrole_arn = {ROLE}\r"
                        "credential_source = Environment\r", ""),
    "a CR then a space continues a value": (
        f"[profile wrapped]\rregion = eu-west-2\routput = a\r  b\rrole_arn = {ROLE}\r"
        "credential_source = Environment\r", ""),
    "comments and odd spacing": (
        "# comment\n; another\n[profile   spaced  ]\nregion=il-central-1\n"
        f"role_arn={ROLE}\ncredential_source = Environment\n", ""),
}
REFUSED = {
    "duplicate key": ("[profile d]\nregion = a\nregion = b\n", ""),
    "duplicate section": ("[profile d]\nregion = a\n[profile d]\noutput = json\n", ""),
    "duplicate in credentials": ("", "[k]\naws_access_key_id = A\n[k]\nx = y\n"),
    "a lone CR inside a section header": ("[profile ok]\nregion = y\n[profile a\rb]\n", ""),
    "a lone CR inside the first section header": ("[profile a\rb]\nregion = x\n", ""),
    "a lone CR inside a key": ("[profile ok]\nreg\rion = y\n", ""),
    "a lone CR inside a value": ("[profile ok]\nregion = us\reast-1\n", ""),
    "a lone CR inside a comment": ("# a\rb\n[profile ok]\nregion = y\n", ""),
    "a lone CR in credentials": ("", "[k]\naws_access_key_id = A\rB\n"),
}


def _files(tmp_path: Path, config: str, credentials: str) -> dict[str, str]:
    (tmp_path / "config").write_bytes(config.encode())
    (tmp_path / "credentials").write_bytes(credentials.encode())
    return {"HOME": str(tmp_path), "AWS_CONFIG_FILE": str(tmp_path / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_ACCESS_KEY_ID": "AKIAENV",
            "AWS_SECRET_ACCESS_KEY": "env"}


def _botocore(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
              ) -> dict[str, Any]:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return dict(botocore.session.Session().full_config)


def _plain(values: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """`values` without the nested ones (a dict in botocore's `reference`)."""
    return {key: value for key, value in values.items()
            if not isinstance(reference.get(key), dict)}


def _resolves(profile: str) -> tuple[str, str]:
    """(botocore's credential method, '') or ('', the error), offline."""
    try:
        credentials = botocore.session.Session(profile=profile).get_credentials()
    except botocore.exceptions.BotoCoreError as error:
        return "", type(error).__name__
    return (credentials.method if credentials is not None else "", "")


def _compare(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
             resolve: bool = True) -> None:
    expected = _botocore(environ, monkeypatch)
    workspace = Workspace(environ)
    config = workspace.aws_config
    profiles = expected["profiles"]
    assert {n: _plain(v, profiles.get(n, {})) for n, v in config.profiles.items()} == {
        n: _plain(v, v) for n, v in profiles.items()}
    sessions = expected.get("sso_sessions", {})
    assert {n: _plain(v, sessions.get(n, {})) for n, v in config.sso_sessions.items()} == {
        n: _plain(v, v) for n, v in sessions.items()}
    targets = {t.profile_names[0]: t for t in profile_targets(config, workspace.aws_credentials)}
    for name in expected["profiles"]:
        region = botocore.session.Session(profile=name).get_config_variable("region")
        target = targets.get(name)
        if target is None:
            values = config.profiles[name]
            assert not values.get("aws_account_id") or not values.get("role_arn"), name
            continue
        assert target.region == (region or ""), name
        assert workspace.configured_region(target) == (region or ""), name
        if resolve:
            method, error = _resolves(name)
            assert bool(target.problem) == bool(error), (name, target.problem, error)
            assert error or method in _METHODS[_kind(config.profiles[name], target.role_name)]


_METHODS = {"sso": {"sso"}, "role": {"assume-role"}, "process": {"custom-process"},
            "keys": {"shared-credentials-file", "config-file"}}


def _kind(values: dict[str, str], role_name: str) -> str:
    """What switcher takes the profile for, in botocore's terms (its provider order)."""
    if values.get("sso_account_id"):
        return "sso"
    if values.get("role_arn"):
        return "role"
    return "process" if role_name == "credential_process" else "keys"


@pytest.mark.parametrize("name", list(CORPUS))
def test_switcher_reads_what_botocore_reads(name: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(_files(tmp_path, *CORPUS[name]), monkeypatch)


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_botocore_refuses_is_refused_naming_the_line(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, *REFUSED[name])
    with pytest.raises(botocore.exceptions.ConfigParseError):
        _botocore(environ, monkeypatch)
    with pytest.raises(ConfigError, match=r":[0-9]+: cannot read AWS (config|credentials)"):
        Workspace(environ).aws_config  # noqa: B018 - reading is the point


def test_a_lone_cr_is_refused_naming_the_line_as_an_editor_counts_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, "# first\r\n[profile ok]\r\nregion = y\r\n[profile a\rb]\r\n", "")
    with pytest.raises(botocore.exceptions.ConfigParseError):
        _botocore(environ, monkeypatch)
    with pytest.raises(ConfigError) as refused:
        Workspace(environ).aws_config  # noqa: B018
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / 'config'}:4: cannot read AWS config: ")
    assert "carriage return" in message and "\n" not in message


MALFORMED_ROLE_ARNS = {
    "not-an-arn": "is not an ARN",
    "arn:aws:iam::123456789012:user/bob": "is not an IAM role ARN",
    "arn:aws:iam::12345:role/Admin": "is not a 12-digit account id",
    "arn:aws:iam::123456789012:role/": "the role name is missing",
    "": "its role_arn is empty",
}


@pytest.mark.parametrize("role_arn", list(MALFORMED_ROLE_ARNS))
def test_a_malformed_role_arn_is_one_warning_where_botocore_waits_for_sts(
        role_arn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, "[profile keys]\naws_access_key_id = A\naws_secret_access_key = s\n"
                     f"[profile bad\x1b]\nrole_arn = {role_arn}\nsource_profile = keys\n"
                     f"[profile good]\nrole_arn = {ROLE}\nsource_profile = keys\n", "")
    _botocore(environ, monkeypatch)
    assert _resolves("bad\x1b") == ("assume-role", "")  # botocore: a profile like any other
    workspace = Workspace(environ)
    targets = profile_targets(workspace.aws_config, workspace.aws_credentials)
    assert [t.profile_names for t in targets] == [("good",)]
    warnings = workspace.aws_config.warnings
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{tmp_path / 'config'}: profile 'bad\\x1b' is not listed: ")
    assert MALFORMED_ROLE_ARNS[role_arn] in warnings[0] and "\x1b" not in warnings[0]


def test_a_malformed_role_arn_in_the_credentials_file_names_that_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, "", "[bad]\nrole_arn = arn:aws:iam::1:role/X\n"
                     "credential_source = Environment\n")
    assert Workspace(environ).aws_config.warnings == (
        f"{tmp_path / 'credentials'}: profile 'bad' is not listed: its role_arn "
        "'arn:aws:iam::1:role/X': the account '1' is not a 12-digit account id",)


def test_aws_cli_sections_are_not_warned_about(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, *CORPUS["AWS CLI sections, quoted names, default twice"])
    assert Workspace(environ).aws_config.warnings == ()


def test_file_variables_are_expanded_as_botocore_does(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "config").write_text(f"[profile v]\nrole_arn = {ROLE}\n"
                                             "credential_source = Environment\n")
    (tmp_path / "aws" / "keys").write_text("[k]\naws_access_key_id = A\n")
    environ = {"HOME": str(tmp_path), "AWS_DIR": "aws", "AWS_CONFIG_FILE": "~/$AWS_DIR/config",
               "AWS_SHARED_CREDENTIALS_FILE": f"{tmp_path}/${{AWS_DIR}}/keys"}
    expected = _botocore(environ, monkeypatch)
    workspace = Workspace(environ)
    assert set(workspace.aws_config.profiles) == set(expected["profiles"]) == {"v", "k"}


NAMES = st.sampled_from(["a", "b", "default", "c d"])
LINES = st.one_of(
    NAMES.map(lambda n: f"[profile {n}]" if " " not in n else f'[profile "{n}"]'),
    st.sampled_from(["[default]", "[sso-session s]", "[plugins]", "[services x]", "[odd]"]),
    st.sampled_from([f"role_arn = {ROLE}", "source_profile = a", "source_profile = b",
                     "credential_source = Environment", "region = eu-west-1", "region =",
                     "sso_session = s", f"sso_account_id = {ACCOUNT}", "sso_role_name = R",
                     "sso_start_url = https://x.example/start", "sso_region = us-east-1",
                     "aws_access_key_id = A", "aws_secret_access_key = s",
                     f"aws_account_id = {ACCOUNT}", "output = json", "# c", "",
                     "  nested = 1", "[profile a\rb]", "region = eu\rwest-1", "\r  x = 1"]),
    st.text(string.ascii_lowercase + " =_", max_size=12))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=st.lists(LINES, max_size=14), credentials=st.lists(LINES, max_size=6),
       ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_configs_read_as_botocore_reads_them(
        config: list[str], credentials: list[str], ending: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _files(tmp_path, ending.join(config), ending.join(credentials))
    try:
        _botocore(environ, monkeypatch)
    except botocore.exceptions.ConfigParseError:
        with pytest.raises(ConfigError):
            Workspace(environ).aws_config  # noqa: B018
        return
    _compare(environ, monkeypatch, resolve=False)
