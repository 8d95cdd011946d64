"""Which environment a target belongs to, and the colour it is shown in.

In order, the first that decides wins: an explicit setting; the account colour set in the AWS
console (uxc accountColor); tags; the OU path; then name patterns (prod, prd, live; stg, uat;
dev; sandbox; ...), which the user can extend. Colours come from one of two palettes, chosen in
config.toml (`[app] palette`): the accessible one (the default: environments stay apart under
the common colour-vision deficiencies, `switcher.color_vision` measures it) or the console's
(the AWS console's Switch Role and account colours, where a source's colour is kept too).
Production is also told by its label and glyph, never by colour alone. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from switcher.model import Environment, Target

# The words that name each environment, checked in this order (riskiest first, so an
# ambiguous name is treated as the more dangerous environment).
DEFAULT_WORDS: dict[Environment, tuple[str, ...]] = {
    Environment.PRODUCTION: ("prod", "prd", "production", "live", "prodn"),
    Environment.STAGING: ("stg", "stage", "staging", "uat", "preprod", "preproduction"),
    Environment.MANAGEMENT: ("management", "mgmt", "master", "payer", "billing", "root"),
    Environment.SHARED: ("shared", "security", "audit", "logs", "log", "archive", "network",
                         "networking", "infra", "infrastructure", "tooling", "tools",
                         "identity"),
    Environment.TEST: ("test", "tst", "testing", "qa"),
    Environment.DEVELOPMENT: ("dev", "develop", "development", "nonprod"),
    Environment.SANDBOX: ("sandbox", "sbx", "playground", "experiment", "experiments", "scratch",
                          "lab"),
}
ENVIRONMENT_TAG_KEYS = ("environment", "env", "stage", "tier", "account-type", "accounttype")

# The AWS console's Switch Role colours (current palette; the console accepts only these).
SWITCH_ROLE_COLORS = {"red": "#f2b0a9", "orange": "#fbc8aa", "yellow": "#efda95",
                      "green": "#b7ca9d", "blue": "#83d4e8"}
# The console's account colours (uxc accountColor). AWS does not publish their hex values;
# these are close to what the console shows.
ACCOUNT_COLORS = {"pink": "#f5b2d2", "purple": "#c9b3f0", "darkBlue": "#7aa5e8",
                  "lightBlue": "#a8dcf0", "teal": "#8fd6cc", "green": "#b7ca9d",
                  "yellow": "#efda95", "orange": "#fbc8aa", "red": "#f2b0a9"}
ACCOUNT_COLOR_ENVIRONMENTS = {"red": Environment.PRODUCTION, "orange": Environment.STAGING,
                              "yellow": Environment.TEST, "green": Environment.DEVELOPMENT,
                              "lightBlue": Environment.SANDBOX, "purple": Environment.MANAGEMENT,
                              "darkBlue": Environment.SHARED, "teal": Environment.SHARED}
CONSOLE_PALETTE = {
    Environment.PRODUCTION: SWITCH_ROLE_COLORS["red"],
    Environment.STAGING: SWITCH_ROLE_COLORS["orange"],
    Environment.TEST: SWITCH_ROLE_COLORS["yellow"],
    Environment.DEVELOPMENT: SWITCH_ROLE_COLORS["green"],
    Environment.SANDBOX: SWITCH_ROLE_COLORS["blue"],
    Environment.MANAGEMENT: ACCOUNT_COLORS["purple"],
    Environment.SHARED: ACCOUNT_COLORS["teal"],
    Environment.UNKNOWN: "#c0c0c0",
}
"""The console's colours: production and staging (red and orange) are near-identical to
people with a red-green deficiency (CIEDE2000 2.2 under deuteranopia)."""
ENVIRONMENT_COLORS = CONSOLE_PALETTE
ACCESSIBLE_PALETTE = {
    Environment.PRODUCTION: "#a52900",   # deep vermilion, white text: the warmest and darkest
    Environment.STAGING: "#b68c14",      # ochre
    Environment.TEST: "#fce150",         # yellow
    Environment.DEVELOPMENT: "#03a389",  # bluish green
    Environment.SANDBOX: "#79f5ed",      # pale cyan
    Environment.MANAGEMENT: "#ac97fb",   # lavender
    Environment.SHARED: "#1e4fdf",       # blue, white text
    Environment.UNKNOWN: "#555555",      # grey, white text
}
"""Chosen so that any two environments stay at least ACCESSIBLE_DISTANCE apart (CIEDE2000)
with normal vision and under protanopia, deuteranopia and tritanopia (Machado et al. 2009,
severity 1.0), with black or white text at a contrast of 4.5:1 or more on each, and
production the warmest (the largest CIELAB a*)."""
ACCESSIBLE_DISTANCE = 20.0
"""The threshold the accessible palette is held to (a unit test; `./dev bench` prints it).
Two colours 20 apart in CIEDE2000 are different colours at a glance, not shades of one."""
PALETTES = {"accessible": ACCESSIBLE_PALETTE, "console": CONSOLE_PALETTE}
DEFAULT_PALETTE = "accessible"
PRODUCTION_GLYPH = "▲"
"""Shown beside production wherever its colour is: the warning does not depend on colour."""
HEX_COLOR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+$")
_Value = TypeVar("_Value")


@dataclass(frozen=True)
class Rules:
    """The user's additions: extra patterns per environment and colours per environment, and
    the palette they chose (`PALETTES`)."""

    patterns: Mapping[Environment, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    colors: Mapping[Environment, str] = field(default_factory=dict)
    palette: str = DEFAULT_PALETTE
    team_environments: Mapping[str, tuple[Environment, str]] = field(default_factory=dict)
    """Environments team files give targets, by `account-id/role` or `account-name/role`,
    with the team's name. A rule like the others, not a setting: production by any other rule
    stays production (a team file makes a target stricter, never weaker)."""
    team_colors: Mapping[str, str] = field(default_factory=dict)
    """Colours team files give targets (same keys); never production's."""


def normalize_color(value: str) -> str:
    """`#rrggbb` from 'rrggbb', '#rgb' and the like; '' when it is not a colour."""
    match = HEX_COLOR.match(value.strip())
    if match is None:
        return ""
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def readable_foreground(background: str) -> str:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""
    color = normalize_color(background) or "#000000"

    def channel(index: int) -> float:
        value = int(color[1 + 2 * index : 3 + 2 * index], 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    return "#000000" if luminance > 0.179 else "#ffffff"


def words(text: str) -> list[str]:
    """'NonProd-Payments_prd01' -> ['non', 'prod', 'payments', 'prd']."""
    spaced = _CAMEL.sub(" ", text).lower()
    merged: list[str] = []
    for part in _SPLIT.split(spaced):
        if not part:
            continue
        part = _DIGITS.sub("", part) or part
        if merged and merged[-1] == "non" and part in ("prod", "production"):
            merged[-1] = "nonprod"  # NonProd is not production
        else:
            merged.append(part)
    return merged


def environment_from_words(text: str, rules: Rules | None = None) -> Environment | None:
    if not text:
        return None
    lowered = text.lower()
    for environment, patterns in (rules.patterns.items() if rules else ()):
        if any(pattern.search(lowered) for pattern in patterns):
            return environment
    found = words(text)
    for environment, names in DEFAULT_WORDS.items():
        if any(word in names for word in found):
            return environment
    return None


def _parse_environment(value: str) -> Environment | None:
    try:
        return Environment(value.strip().lower())
    except ValueError:
        return environment_from_words(value)


def _rule_verdicts(target: Target, rules: Rules | None) -> Iterable[tuple[Environment, str]]:
    """What each rule says of `target`, in order of precedence (a team file's setting for
    it, the console's account colour, tags, the OU path, then names)."""
    if rules and rules.team_environments:
        assigned = team_entry(rules.team_environments, target)
        if assigned is not None:
            yield assigned[0], f"team:{assigned[1]}"
    console_color = target.account.console_color
    if console_color in ACCOUNT_COLOR_ENVIRONMENTS:
        yield ACCOUNT_COLOR_ENVIRONMENTS[console_color], "account colour"
    tags = {key.lower(): value for key, value in target.account.tags}
    for key in ENVIRONMENT_TAG_KEYS:
        if key in tags:
            found = _parse_environment(tags[key])
            if found is not None:
                yield found, f"tag {key}"
    for unit in reversed(target.account.ou_path.split("/")[1:]):
        if "nonprod" in words(unit):
            continue  # an OU holding dev, test and staging alike says nothing
        found = environment_from_words(unit, rules)
        if found is not None:
            yield found, "OU"
    names = [target.account.name, *target.profile_names,
             *(way.display_name for way in target.ways)]
    for name in names:
        found = environment_from_words(name, rules)
        if found is not None:
            yield found, "name"


def team_entry(table: Mapping[str, _Value], target: Target) -> _Value | None:
    """A team file's entry for `target`: by account id and role, else by account name."""
    found = table.get(target.key)
    if found is None and target.account.name:
        found = table.get(f"{target.account.name}/{target.role_name}")
    return found


def classify(target: Target, rules: Rules | None = None) -> tuple[Environment, str]:
    """The environment of `target` and why (which rule decided). A setting the user wrote
    for the target wins; otherwise production by any rule is production, whatever rule
    comes first; otherwise the first rule that decides."""
    if target.explicit_environment:
        found = _parse_environment(target.explicit_environment)
        if found is not None:
            return found, "explicit"
    first: tuple[Environment, str] | None = None
    for environment, reason in _rule_verdicts(target, rules):
        if environment is Environment.PRODUCTION:
            return environment, reason
        first = first or (environment, reason)
    return first or (Environment.UNKNOWN, "no rule matched")


def color_for(target: Target, environment: Environment, rules: Rules | None = None) -> str:
    """A colour set for this exact target in config.toml wins. Production is shown in the
    production colour whatever a source says (a green switch-role entry into production
    made a green prompt). With the console's palette other targets take a source's colour,
    then the console's account colour; with the accessible palette the environment decides
    (a source's colour would bring back the shades it keeps apart)."""
    if normalize_color(target.explicit_color):
        return normalize_color(target.explicit_color)
    palette = PALETTES.get(rules.palette if rules else DEFAULT_PALETTE, ACCESSIBLE_PALETTE)
    if environment is not Environment.PRODUCTION and rules and rules.team_colors:
        team_color = team_entry(rules.team_colors, target)
        if team_color:
            return team_color
    if environment is not Environment.PRODUCTION and palette is CONSOLE_PALETTE:
        for way in target.ways:
            explicit = normalize_color(way.color)
            if explicit:
                return explicit
        if target.account.console_color in ACCOUNT_COLORS:
            return ACCOUNT_COLORS[target.account.console_color]
    if rules and environment in rules.colors:
        return rules.colors[environment]
    return palette[environment]


def recolored(targets: list[Target], rules: Rules | None = None) -> list[Target]:
    """`targets` (classified) in the colours `rules` give now: a list cached before the
    palette or a colour setting changed shows the new colours without a refresh."""
    shown = []
    for target in targets:
        color = color_for(target, target.environment, rules)
        shown.append(target if color == target.color else replace(target, color=color))
    return shown


def production_label(target: Target) -> str:
    """`▲ PROD ` for a production target, '' for the others: put before a target's name
    in notices, so production reads as production without its colour."""
    return f"{PRODUCTION_GLYPH} PROD " if target.environment is Environment.PRODUCTION else ""


def classify_all(targets: Iterable[Target], rules: Rules | None = None,
                 production_accounts: Iterable[str] = ()) -> list[Target]:
    """Every target classified, one account one verdict on production: an account that any
    rule puts in production through any of its targets (or that `production_accounts`
    names, e.g. from the cached inventory) is production for all of its targets, except
    those the user classified explicitly."""
    listed = list(targets)
    verdicts = [classify(target, rules) for target in listed]
    production = set(production_accounts) | {
        target.account_id for target, (environment, _) in zip(listed, verdicts, strict=True)
        if environment is Environment.PRODUCTION}
    classified = []
    for target, (environment, reason) in zip(listed, verdicts, strict=True):
        if target.account_id in production and reason != "explicit":
            environment = Environment.PRODUCTION
        classified.append(replace(target, environment=environment,
                                  color=color_for(target, environment, rules)))
    return classified
