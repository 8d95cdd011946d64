"""Names to targets: `account-name/role`, `account-id/role`, a profile name, or an account
alone, and `--via` to pick one of a target's ways in."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from switcher.environments import Rules, classify_all
from switcher.errors import NotSignedInError, TargetNotFoundError, UnknownTargetError
from switcher.model import Account, Environment, Target, Way
from switcher.search import suggestions
from switcher.sources.merge import merge_targets
from switcher.sources.profiles import profile_targets
from switcher.store.awsconfig import AwsConfig


class TargetNames:
    def __init__(self, aws_config: Callable[[], AwsConfig],
                 aws_credentials: Callable[[], AwsConfig],
                 read_only_roles: Callable[[], Mapping[Environment, str]],
                 rules: Callable[[], Rules],
                 signed_out: Callable[[], list[str]] = list) -> None:
        self._aws_config = aws_config
        self._aws_credentials = aws_credentials
        self._read_only_roles = read_only_roles
        self._rules = rules
        self._signed_out = signed_out

    def resolve(self, name: str, known: list[Target],
                via: str | None = None) -> tuple[Target, Way | None]:
        """The target `name` stands for among `known`; `via` picks one of its ways by label
        or profile. A name that matches nothing while an Identity Center instance is signed
        out is most likely one of its targets: the error says to sign in."""
        try:
            target, way = self._resolve(name, known)
        except UnknownTargetError as error:
            signed_out = self._signed_out()
            if not signed_out:
                raise
            raise NotSignedInError(
                f"Not signed in to {', '.join(signed_out)}, so {name!r} cannot be looked up "
                "among its accounts; run `switcher login`"
                + (f" (or did you mean {', '.join(error.suggestions)}?)"
                   if error.suggestions else "")) from None
        if not via:
            return target, way
        chosen = next((w for w in target.ways if via in (w.label, w.profile)), None)
        if chosen is None:
            labels = ", ".join(w.label for w in target.ways)
            raise TargetNotFoundError(f"{target.display_name} cannot be reached via {via!r}; "
                                      f"its ways in: {labels}")
        return target, chosen

    @staticmethod
    def accounts_for(name: str, offline: list[Target]) -> Callable[[Account], bool]:
        """The accounts whose roles `name` may be among, for a targeted discovery: the
        account its `account/role` or account-alone form names (by id or name, in any case,
        as `resolve` compares), and the accounts of the offline targets (profiles) it names,
        so those are classified with what the discovery knows of their account."""
        account_part = (name.rpartition("/")[0] or name).lower()
        ids = {t.account_id for t in offline if name in t.profile_names}

        def wanted(account: Account) -> bool:
            return (account.account_id in ids or account.account_id == account_part
                    or account.name.lower() == account_part)

        return wanted

    def _resolve(self, name: str, known: list[Target]) -> tuple[Target, Way | None]:
        for target in known:
            if name in target.profile_names:
                way = next((w for w in target.ways if w.profile == name), None)
                return target, way
        config = self._aws_config()
        if name in config.profiles:
            # A profile the inventory does not know yet (written since, or never refreshed)
            # is classified like the inventory would: by its names, and as production when
            # its account is production in what is known.
            production = {t.account_id for t in known
                          if t.environment is Environment.PRODUCTION}
            profile_only = classify_all(
                merge_targets(profile_targets(config, self._aws_credentials())),
                self._rules(), production)
            for target in profile_only:
                if name in target.profile_names:
                    return target, target.way
        account, _, role = name.rpartition("/")
        if not account:
            found = self._account_alone(name, known)
            if found is not None:
                return found, None
        if account and role:
            matches = [t for t in known if t.role_name == role and
                       (t.account_id == account or t.account_name == account)]
            if not matches:
                matches = [t for t in known if t.role_name.lower() == role.lower() and
                           account.lower() in (t.account_id, t.account_name.lower())]
            if len(matches) == 1:
                return matches[0], None
        nearby = suggestions(name, known)
        raise UnknownTargetError(
            f"No target named {name!r}; "
            + (f"did you mean {', '.join(nearby)}? " if nearby else "")
            + "`switcher list` shows them (account-name/role, account-id/role or a profile "
            "name)", name, nearby)

    def _account_alone(self, name: str, known: list[Target]) -> Target | None:
        """Its one role, or the environment's read-only role."""
        matches = [t for t in known if name in (t.account_id, t.account_name)]
        if len({t.role_name for t in matches}) == 1:
            return matches[0]
        read_only_roles = self._read_only_roles()
        for target in matches:
            if read_only_roles.get(target.environment) == target.role_name:
                return target
        if matches:
            roles = ", ".join(sorted({t.role_name for t in matches}))
            raise TargetNotFoundError(f"{name} has several roles ({roles}); name one as "
                                      f"{name}/ROLE, or set a read-only role for its "
                                      "environment in config.toml [guardrails]")
        return None
