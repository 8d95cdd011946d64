"""Firefox container links, read back the way each add-on reads them.

Firefox hands a registered `ext+…:` link to the add-on's page as `#` + the link percent-encoded
(encodeURIComponent); both add-ons then `decodeURIComponent` it, check the scheme prefix and read
the rest with `URLSearchParams` (honsiorovskyi/open-url-in-container src/js/opener/parser.js and
validator.js; common-fate/granted-containers src/opener/parser.ts). `parse_qsl` with blank values
kept splits, unplusses and decodes the same way URLSearchParams does.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest

from switcher.actions.browser import (
    CONTAINER_COLORS,
    CONTAINER_ICONS,
    ENVIRONMENT_CONTAINERS,
    browser_fields,
    command_argv,
    container_url,
)
from switcher.model import Account, Environment, SourceKind, Target, Way

ONCE = "http://127.0.0.1:4242/abc-DEF_123"
HOSTILE = "shop & co=1&color=toolbar&url=https://evil.example/ 100%+ 'x' #prod"


def _search_params(link: str, prefix: str) -> dict[str, str]:
    hash_part = "#" + quote(link, safe="-_.!~*'()")  # what Firefox puts after opener.html
    uri = unquote(hash_part[1:], errors="strict")
    if not uri.startswith(prefix):
        raise ValueError("unknown URI protocol")
    params: dict[str, str] = {}
    for key, value in parse_qsl(uri[len(prefix):], keep_blank_values=True):
        params.setdefault(key, value)  # URLSearchParams.get: the first one
    return params


def _valid_url(value: str) -> str:
    split = urlsplit(value)
    if not split.scheme or not split.netloc:
        raise ValueError(f"{value!r} is not a URL")
    return value


def open_url_in_container(link: str) -> dict[str, str]:
    """What "Open external links in a container" opens, or the error it shows."""
    params = _search_params(link, "ext+container:")
    if params.get("color") and params["color"] not in CONTAINER_COLORS:
        raise ValueError('"color" parameter should be a in a list')
    if params.get("icon") and params["icon"] not in CONTAINER_ICONS:
        raise ValueError('"icon" parameter should be a in a list')
    if not params.get("url"):
        raise ValueError('"url" parameter is missing')
    _valid_url(params["url"])
    if not (params.get("id") or params.get("name")):
        raise ValueError('at least one of "id", "name" should be specified')
    return params


def granted_containers(link: str) -> dict[str, str]:
    """What Granted Containers opens: colour and icon kept only when it knows them."""
    params = _search_params(link, "ext+granted-containers:")
    if "name" not in params or "url" not in params:
        raise ValueError("container name is required")
    container = {"name": params["name"], "url": _valid_url(params["url"])}
    for key, allowed in (("color", CONTAINER_COLORS), ("icon", CONTAINER_ICONS)):
        if params.get(key) in allowed:
            container[key] = params[key]
    return container


def _target(environment: Environment, name: str = "shop") -> Target:
    return Target(Account("123456789012", name), "Admin", (Way(SourceKind.SSO),),
                  environment=environment)


def test_every_environment_maps_to_what_both_add_ons_accept() -> None:
    assert set(ENVIRONMENT_CONTAINERS) == {e.value for e in Environment}
    for color, icon in ENVIRONMENT_CONTAINERS.values():
        assert color in CONTAINER_COLORS and icon in CONTAINER_ICONS
    assert ENVIRONMENT_CONTAINERS["production"][0] == "red"
    assert ENVIRONMENT_CONTAINERS["unknown"][0] not in {
        color for env, (color, _) in ENVIRONMENT_CONTAINERS.items() if env != "unknown"}


@pytest.mark.parametrize("environment", list(Environment))
def test_open_url_in_container_opens_every_environment(environment: Environment) -> None:
    fields = browser_fields(_target(environment, HOSTILE))
    opened = open_url_in_container(container_url(ONCE, fields))
    assert opened["name"] == f"{HOSTILE} Admin" and opened["url"] == ONCE
    assert (opened["color"], opened["icon"]) == ENVIRONMENT_CONTAINERS[environment.value]


@pytest.mark.parametrize("environment", list(Environment))
def test_granted_containers_keeps_colour_and_icon(environment: Environment) -> None:
    fields = browser_fields(_target(environment, HOSTILE))
    link = container_url(ONCE, fields, "ext+granted-containers:")
    assert granted_containers(link) == {
        "name": f"{HOSTILE} Admin", "url": ONCE,
        "color": ENVIRONMENT_CONTAINERS[environment.value][0],
        "icon": ENVIRONMENT_CONTAINERS[environment.value][1]}


def test_both_forms_as_browser_command_placeholders() -> None:
    fields = browser_fields(_target(Environment.STAGING, HOSTILE))
    argv = command_argv("firefox --new-tab {container_url} {granted_container_url}", ONCE,
                        fields)
    assert open_url_in_container(argv[2])["name"] == f"{HOSTILE} Admin"
    assert granted_containers(argv[3])["color"] == "orange"


def test_placeholders_inside_a_url_are_encoded_there() -> None:
    fields = browser_fields(_target(Environment.PRODUCTION, HOSTILE))
    template = ("firefox 'ext+granted-containers:name={account_name}&url={url}&color=red' "
                "--class={account_name} {account_name}")
    argv = command_argv(template, ONCE, fields)
    assert granted_containers(argv[1]) == {"name": HOSTILE, "url": ONCE, "color": "red"}
    assert argv[2:] == [f"--class={HOSTILE}", HOSTILE]  # not in a URL: as it is
    assert command_argv("open https://x.example/?who={role}&n={account_name}", ONCE,
                        fields)[1] == "https://x.example/?who=Admin&n=" + quote(HOSTILE, safe="")


def test_a_value_is_never_read_as_a_placeholder() -> None:
    fields = browser_fields(_target(Environment.DEVELOPMENT, "{url}"))
    assert command_argv("browser --title={account_name} {url}", ONCE, fields) == [
        "browser", "--title={url}", ONCE]
