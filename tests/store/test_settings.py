"""Settings written back to config.toml."""

from __future__ import annotations

import pytest

from switcher.errors import ConfigError
from switcher.store.settings import edit_destinations


def test_an_added_destination_goes_last_once() -> None:
    assert edit_destinations([], "s3", None, "dev/Admin") == ["s3"]
    assert edit_destinations(["s3", "ec2/home"], "s3", None, "dev/Admin") == ["ec2/home", "s3"]
    assert edit_destinations(["s3"], "not a page at all", None, "dev/Admin") == [
        "s3", "not a page at all"]


def test_a_removed_destination_must_be_saved() -> None:
    assert edit_destinations(["s3", "ec2/home"], None, "s3", "dev/Admin") == ["ec2/home"]
    assert edit_destinations(["s3"], "ec2/home", "s3", "dev/Admin") == ["ec2/home"]
    with pytest.raises(ConfigError, match="'nope' is not saved for dev/Admin"):
        edit_destinations(["s3"], None, "nope", "dev/Admin")
