"""ARNs: one parser for every partition, paths, and clear errors for what is not an ARN."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switcher.arn import (
    KNOWN_PARTITIONS,
    ArnError,
    RoleArn,
    format_role_arn,
    parse_arn,
    parse_role_arn,
    split_role_name,
)


@pytest.mark.parametrize("partition", KNOWN_PARTITIONS)
def test_role_arns_of_every_partition(partition: str) -> None:
    role = parse_role_arn(f"arn:{partition}:iam::111122223333:role/Admin")
    assert role == RoleArn(partition, "111122223333", "Admin", "/")
    assert str(role) == f"arn:{partition}:iam::111122223333:role/Admin"


def test_a_path_role_is_named_by_its_last_segment() -> None:
    role = parse_role_arn("arn:aws:iam::111122223333:role/team/Admin")
    assert (role.name, role.path, role.path_and_name) == ("Admin", "/team/", "team/Admin")
    deep = parse_role_arn("arn:aws-us-gov:iam::111122223333:role/a/b.c/d@e/Role_1+=,.@-")
    assert (deep.name, deep.path) == ("Role_1+=,.@-", "/a/b.c/d@e/")
    assert str(deep) == "arn:aws-us-gov:iam::111122223333:role/a/b.c/d@e/Role_1+=,.@-"


def test_any_arn_splits_into_its_parts() -> None:
    bucket = parse_arn("arn:aws-cn:s3:::my-bucket/key:with:colons")
    assert (bucket.partition, bucket.service, bucket.region, bucket.account_id) == (
        "aws-cn", "s3", "", "")
    assert bucket.resource == "my-bucket/key:with:colons"
    assert str(bucket) == "arn:aws-cn:s3:::my-bucket/key:with:colons"
    queue = parse_arn("arn:aws-eusc:sqs:eusc-de-east-1:111122223333:jobs")
    assert (queue.region, queue.account_id, queue.resource) == (
        "eusc-de-east-1", "111122223333", "jobs")
    assert parse_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").account_id == "aws"


@pytest.mark.parametrize(("text", "says"), [
    ("", "is not an ARN"),
    ("Admin", "is not an ARN"),
    ("arn:aws:iam::111122223333", "is not an ARN"),
    ("urn:aws:iam::111122223333:role/Admin", "is not an ARN"),
    ("arn:azure:iam::111122223333:role/Admin", "'azure' is not an AWS partition"),
    ("arn:aws:iam::11112222333:role/Admin", "not a 12-digit account id"),
    ("arn:aws:iam::aws:role/Admin", "not a 12-digit account id"),
    ("arn:aws:iam::111122223333:user/Admin", "is not an IAM role ARN"),
    ("arn:aws:sts::111122223333:assumed-role/Admin/me", "is not an IAM role ARN"),
    ("arn:aws:iam:us-east-1:111122223333:role/Admin", "has no region"),
    ("arn:aws:iam::111122223333:role/", "the role name is missing"),
    ("arn:aws:iam::111122223333:role/team/", "the role name is missing"),
    ("arn:aws:iam::111122223333:role/Ad min", "is not a role name"),
    ("arn:aws:iam::111122223333:role/" + "A" * 65, "is not a role name"),
    ("arn:aws:iam::111122223333:role/a//b/Admin", "is not a role path"),
    ("arn:aws:iam::111122223333:role/" + "p/" * 300 + "Admin", "is not a role path"),
])
def test_malformed_role_arns_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ArnError) as raised:
        parse_role_arn(text)
    message = str(raised.value)
    assert says in message
    assert "\n" not in message and len(message) < 300  # one readable line, even for long input


def test_role_names_typed_with_or_without_a_path() -> None:
    assert split_role_name("Admin") == ("/", "Admin")
    assert split_role_name("team/Admin") == ("/team/", "Admin")
    assert split_role_name("/team/sub/Admin") == ("/team/sub/", "Admin")
    with pytest.raises(ArnError, match="role name is missing"):
        split_role_name("team/")
    with pytest.raises(ArnError, match="'team//' is not a role path"):
        split_role_name("team//Admin")
    with pytest.raises(ArnError, match="'//' is not a role path"):
        split_role_name("//Admin")


partitions = st.one_of(st.sampled_from(KNOWN_PARTITIONS),
                       st.from_regex(r"\Aaws(-[a-z]{1,6}){1,3}\Z"))
names = st.from_regex(r"\A[A-Za-z0-9_+=,.@-]{1,64}\Z")
paths = st.lists(st.from_regex(r"\A[\x21-\x2e\x30-\x7e]{1,12}\Z"), max_size=4).map(
    lambda segments: "/" + "".join(f"{s}/" for s in segments))


@settings(max_examples=300, deadline=None)
@given(partitions, st.from_regex(r"\A\d{12}\Z"), paths, names)
def test_role_arns_round_trip(partition: str, account_id: str, path: str, name: str) -> None:
    text = format_role_arn(account_id, name, path, partition)
    role = parse_role_arn(text)
    assert role == RoleArn(partition, account_id, name, path)
    assert str(role) == text
    assert split_role_name(role.path_and_name) == (path, name)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80)
       | st.text(max_size=40).map("arn:aws:iam::111122223333:role/".__add__))
def test_any_text_is_a_role_arn_or_an_arn_error(text: str) -> None:
    try:
        role = parse_role_arn(text)
    except ArnError:
        return
    assert parse_role_arn(str(role)) == role
