"""The last known targets a partial refresh keeps: the part of each that came through a
source that failed this time (an Identity Center instance signed out or failing, an account
whose roles could not be listed, an AESR URL, Organizations), which may well still exist."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from switcher.model import SourceKind, Target, Way

if TYPE_CHECKING:
    from switcher.services.inventory import Refresh

KIND_ORDER = (SourceKind.SSO, SourceKind.PROFILE, SourceKind.SWITCH_ROLE,
              SourceKind.ORGANIZATIONS)


def ways_in_kind_order(target: Target) -> Target:
    """Identity Center, profiles, switch roles, Organizations: the order a full refresh
    gives (the preferred way in is the first)."""
    if len(target.ways) < 2:
        return target
    ways = tuple(sorted(target.ways, key=lambda way: KIND_ORDER.index(way.kind)))
    return target if ways == target.ways else replace(target, ways=ways)


def failed_part(target: Target, result: Refresh) -> Target | None:
    """The part of a last known target that came through a source that failed in this
    partial refresh (and so may still exist): its ways from those sources, or None."""
    failed_instances = set(result.not_signed_in) | {
        source.removeprefix("sso:") for source in result.failed_sources}
    ways = tuple(way for way in target.ways
                 if _way_failed(way, target.account_id, failed_instances, result))
    if not ways:
        return None
    return target if ways == target.ways else replace(target, ways=ways)


def _way_failed(way: Way, account_id: str, failed_instances: set[str],
                result: Refresh) -> bool:
    if way.kind is SourceKind.SSO:
        instance = way.sso_session or way.start_url
        return instance in failed_instances or account_id in result.failed_accounts
    if way.kind is SourceKind.SWITCH_ROLE:
        return way.origin in result.failed_sources
    if way.kind is SourceKind.ORGANIZATIONS:
        return f"organizations:{way.source_profile}" in result.failed_sources
    return False
