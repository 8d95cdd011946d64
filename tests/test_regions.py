"""Regions: every partition's, from botocore's data, read lazily; one check for every caller."""

from __future__ import annotations

import subprocess
import sys

import pytest

from switcher import regions
from switcher.errors import UnknownRegionError


def test_every_partition_is_known() -> None:
    known = regions.known_regions()
    for name, partition in (("us-east-1", "aws"), ("eu-west-1", "aws"),
                            ("us-gov-west-1", "aws-us-gov"), ("cn-north-1", "aws-cn"),
                            ("us-iso-east-1", "aws-iso"), ("eusc-de-east-1", "aws-eusc")):
        assert known[name].partition == partition
    assert "us-gov-west-1" in regions.region_names("aws-us-gov")
    assert "us-east-1" not in regions.region_names("aws-us-gov")
    # partitions.json's pseudo-regions are not regions anyone can open
    assert not [name for name in known if name.endswith("-global")]


@pytest.mark.parametrize(("typed", "expected"), [
    ("eu-west-1", "eu-west-1"), ("EU-WEST-1", "eu-west-1"), (" Us-Gov-West-1 ", "us-gov-west-1"),
])
def test_a_known_region_is_normalised(typed: str, expected: str) -> None:
    assert regions.check_region(typed) == expected
    assert regions.parse_region(typed) == expected


@pytest.mark.parametrize("typed", ["mars-north-9", "xx", "eu-west-99", "", "us-east-1\x1b[2J"])
def test_an_unknown_region_is_refused(typed: str) -> None:
    assert regions.parse_region(typed) is None
    with pytest.raises(UnknownRegionError) as raised:
        regions.check_region(typed)
    assert "\x1b" not in str(raised.value)
    assert len(raised.value.suggestions) <= 3


def test_the_nearest_regions_are_suggested() -> None:
    assert regions.nearest_regions("eu-west") == ["eu-west-1", "eu-west-2", "eu-west-3"]
    assert "us-east-1" in regions.nearest_regions("us-est-1")
    with pytest.raises(UnknownRegionError, match="did you mean eu-north-1"):
        regions.check_region("eu-nort-1")


def test_looking_regions_up_does_not_import_botocore() -> None:
    code = ("import sys\nfrom switcher import regions\nregions.check_region('eu-west-1')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))")
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, check=True)
    assert finished.stdout.strip() == "[]"
