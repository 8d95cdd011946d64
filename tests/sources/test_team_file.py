"""A team file's checks: whatever the bytes, one TeamFileError or a checked TeamFile, never
another exception (the command line would print a crash instead of one line)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switcher.sources.team import TeamFile, TeamFileError, parse_team_file

KEYS = st.sampled_from(["name", "switch_roles", "account", "role", "targets", "guardrails",
                        "mode", "environments", "patterns", "colors", "production",
                        "browser", "command", "x_file", "console", "destinations",
                        "organizations", "role_name", "color", "region"])
VALUES = st.recursive(
    st.one_of(st.text(max_size=30), st.integers(), st.booleans(),
              st.sampled_from(["111122223333", "Admin", "#ff0000", "production", "(a+)+",
                               "eu-west-1", "type-name", "s3", "file:///etc"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20)


def toml_of(document: dict[str, object]) -> bytes:
    import tomlkit

    return tomlkit.dumps(document).encode()


@pytest.mark.parametrize("data", [
    b"a" + b".a" * 5000 + b" = 1", b"[" + b".".join([b"x"] * 5000) + b"]",
    b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000, b"x = " + b"[" * 5000 + b"]" * 5000])
def test_deep_nesting_is_one_line(data: bytes) -> None:
    with pytest.raises(TeamFileError, match="nested too deeply"):
        parse_team_file(data, "deep.toml")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_document_is_checked_or_refused_with_one_line(document: dict[str, object]) -> None:
    try:
        data = toml_of(document)
    except Exception:  # tomlkit cannot write it: not a document to test
        return
    try:
        assert isinstance(parse_team_file(data, "fuzz.toml"), TeamFile)
    except TeamFileError as error:
        assert "\n" not in str(error)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_checked_or_refused_with_one_line(data: bytes) -> None:
    try:
        parse_team_file(data, "bytes.toml")
    except TeamFileError as error:
        assert "\n" not in str(error)
