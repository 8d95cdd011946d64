"""Ranking and incremental narrowing of the filter."""

from __future__ import annotations

import time

from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.search import FUZZY_BELOW, Searcher, Usage, suggestions
from switcher.sources.merge import merge_targets

SSO = (Way(SourceKind.SSO, sso_session="s"),)


def _target(name: str, role: str, **account: object) -> Target:
    return Target(Account(str(abs(hash(name)) % 10**12).rjust(12, "1"), name, **account),  # type: ignore[arg-type]
                  role, SSO)


TARGETS = merge_targets([
    _target("payments-prod", "ReadOnlyAccess", ou_path="Root/Prod",
            tags=(("team", "payments"),)),
    _target("payments-dev", "AdministratorAccess"),
    _target("storefront-prod", "AdministratorAccess"),
    _target("legacy-payments", "ReadOnlyAccess"),
    Target(Account("999999999999", "shared-tools"), "Deployer", SSO,
           environment=Environment.SHARED),
])  # an inventory comes sorted by name, as merge_targets leaves it


def _names(searcher: Searcher, query: str) -> list[str]:
    return [searcher.targets[i].display_name for i in searcher.search(query)]


def test_every_term_must_match_and_prefixes_rank_first() -> None:
    searcher = Searcher(TARGETS)
    assert _names(searcher, "payments") == ["payments-dev/AdministratorAccess",
                                            "payments-prod/ReadOnlyAccess",
                                            "legacy-payments/ReadOnlyAccess"]
    assert _names(searcher, "payments read") == ["payments-prod/ReadOnlyAccess",
                                                 "legacy-payments/ReadOnlyAccess"]
    assert _names(searcher, "team=payments") == ["payments-prod/ReadOnlyAccess"]
    assert _names(searcher, "root/prod") == ["payments-prod/ReadOnlyAccess"]
    assert _names(searcher, "shared") == ["shared-tools/Deployer"]
    assert _names(searcher, "999999") == ["shared-tools/Deployer"]
    assert _names(searcher, "ymtsprd") == []  # a subsequence must start at a word
    assert _names(searcher, "pmtprod") == ["payments-prod/ReadOnlyAccess"]  # subsequence
    assert len(_names(searcher, "")) == len(TARGETS)


def test_favourites_and_frecency_order() -> None:
    key = {t.account_name: t.key for t in TARGETS}
    usage = Usage()
    now = time.time()
    for _ in range(3):
        usage.record(key["storefront-prod"], now - 60)
    usage.record(key["legacy-payments"], now - 30 * 86400)
    searcher = Searcher(TARGETS, favourites=frozenset({key["shared-tools"]}), usage=usage)
    assert _names(searcher, "")[:3] == ["shared-tools/Deployer",
                                        "storefront-prod/AdministratorAccess",
                                        "legacy-payments/ReadOnlyAccess"]
    searcher.refresh_order(frecency=False)
    assert _names(searcher, "")[:2] == ["shared-tools/Deployer",
                                        "legacy-payments/ReadOnlyAccess"]


def test_narrowing_gives_the_same_answer_as_a_fresh_search() -> None:
    searcher = Searcher(TARGETS)
    for query in ("p", "pa", "pay", "pay r", "pay re", "pay rea"):
        narrowed = _names(searcher, query)
        assert narrowed == _names(Searcher(TARGETS), query)
    assert _names(searcher, "sto")[0] == "storefront-prod/AdministratorAccess"  # a new query


def test_suggestions_put_case_and_prefix_first_then_likeness() -> None:
    assert suggestions("PAYMENTS-PROD/readonlyaccess", TARGETS) == [
        "payments-prod/ReadOnlyAccess"]
    assert suggestions("payments", TARGETS) == [
        "payments-dev/AdministratorAccess", "payments-prod/ReadOnlyAccess",
        "legacy-payments/ReadOnlyAccess"]
    assert suggestions("paymnets-prod/ReadOnlyAccess", TARGETS)[0] == (
        "payments-prod/ReadOnlyAccess")
    assert suggestions("storefront-prd", TARGETS) == ["storefront-prod/AdministratorAccess"]
    assert suggestions("nothing-like-it", TARGETS) == []
    assert len(suggestions("a", TARGETS)) == 3


def test_exact_matches_rank_above_fuzzy_ones_favourites_too() -> None:
    targets = merge_targets([
        _target("jane-playground", "PowerUserAccess"),
        _target("orders", "AdministratorAccess", ou_path="Root/Prod"),
        *TARGETS])
    key = {t.account_name: t.key for t in targets}
    searcher = Searcher(targets, favourites=frozenset({key["jane-playground"]}))
    # p-r-o-d is a subsequence of "playground": a fuzzy match, after every exact one (a
    # name that starts with it, a name that holds it, an OU that holds it), favourite or not.
    assert _names(searcher, "prod") == ["payments-prod/ReadOnlyAccess",
                                        "storefront-prod/AdministratorAccess",
                                        "orders/AdministratorAccess",
                                        "jane-playground/PowerUserAccess"]


def test_account_slash_role_and_id_slash_role_queries() -> None:
    searcher = Searcher(TARGETS)
    assert _names(searcher, "payments-prod/read") == ["payments-prod/ReadOnlyAccess"]
    assert _names(searcher, "payments-prod/") == ["payments-prod/ReadOnlyAccess"]
    assert _names(searcher, "999999999999/deploy") == ["shared-tools/Deployer"]
    assert _names(searcher, "prod/admin") == ["storefront-prod/AdministratorAccess"]


def _reference(targets: list[Target], query: str) -> list[str]:
    """The ranking the search promises, written plainly: every term in the haystack; names
    starting with the first term, then holding it, then the rest; the inventory's order
    within each (no favourites, no use, no fuzzy matches here)."""
    from switcher.search import haystack

    terms = query.lower().split()
    found = [t for t in targets if all(term in haystack(t) for term in terms)]
    name = {t.key: f"{t.account_name}/{t.role_name}".lower() for t in targets}
    return [t.display_name for t in sorted(found, key=lambda t: (
        0 if name[t.key].startswith(terms[0]) else 1 if terms[0] in name[t.key] else 2))]


def test_the_first_rows_of_a_large_answer_are_those_of_the_whole_ranking() -> None:
    from switcher.emulator.organization import generated_organization

    organization = generated_organization(400)
    targets = merge_targets([
        Target(Account(a.account_id, a.name, ou_path=organization.ou_path(a)), role, SSO)
        for a in organization.account_list() for role in a.permission_sets])
    assert len(targets) > 1000
    from switcher.search import haystack

    for target in targets[::97]:  # each on its own is found, and across the slash
        for part in (target.account_name, target.account_id, target.role_name,
                     target.display_name, target.key, target.account.ou_path):
            assert part.lower() in haystack(target)
    for query in ("t", "te", "team-0", "team-000 adm", "dev", "a", "prod read", "sandbox", "00"):
        expected = _reference(targets, query)
        assert len(expected) >= FUZZY_BELOW  # (no fuzzy matches in these)
        searcher = Searcher(targets)
        found = searcher.search(query)
        assert len(found) == len(expected)
        for rows in (1, 48, 600):  # a screenful first, as the list asks for it
            assert [targets[i].display_name for i in found[:rows]] == expected[:rows]
        assert [targets[i].display_name for i in found] == expected
        assert targets[found[-1]].display_name == expected[-1]
        narrowed = Searcher(targets)
        for end in range(1, len(query) + 1):  # typed one key at a time
            answer = narrowed.search(query[:end])
        assert [targets[i].display_name for i in answer[:48]] == expected[:48]
