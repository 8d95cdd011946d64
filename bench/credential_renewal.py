"""How often an SDK comes back for credentials near the end of their life: botocore's own
RefreshableCredentials (advisory window 15 minutes, mandatory 10) on a simulated clock,
refreshing from a provider that serves what switcher holds (the credential endpoint and
credential-process do) and renews it when switcher's rule says it is due. Printed for the
rule in use (switcher.auth.renewal) and for the one before it (reuse while more than 5 minutes
are left), for 1-hour, 12-hour and short lifetimes.

`python -m bench.credential_renewal`"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from switcher.auth.renewal import due

Rule = Callable[[float, float, float], bool]
"""(issued, expires, now) -> whether switcher renews instead of serving what it holds."""
START = 1_800_000_000.0


def old_rule(_issued: float, expires: float, now: float) -> bool:
    """Before: credentials were reused while more than 5 minutes were left."""
    return expires - now <= 5 * 60


@dataclass
class Figures:
    sdk_calls: int = 0
    endpoint_calls: int = 0
    """Refreshes botocore asked of the endpoint (the first fetch not counted)."""
    renewals: int = 0
    """Credentials switcher fetched from AWS again."""
    late_sdk_calls: int = 0
    """SDK calls made while the SDK's credentials had less than 15 minutes left."""
    late_endpoint_calls: int = 0

    @property
    def late_ratio(self) -> float:
        return self.late_endpoint_calls / self.late_sdk_calls if self.late_sdk_calls else 0.0


def simulate(rule: Rule, lifetime: float, hours: float = 3.0, every: float = 5.0) -> Figures:
    """An SDK call every `every` seconds for `hours`, through botocore's refresh logic."""
    from botocore.credentials import RefreshableCredentials

    clock = [START]
    held = {"issued": 0.0, "expires": 0.0, "serial": 0}
    figures = Figures()

    def aws() -> None:
        held.update(issued=clock[0], expires=clock[0] + lifetime, serial=held["serial"] + 1)
        figures.renewals += 1

    def endpoint() -> dict[str, str]:
        if not held["serial"] or rule(held["issued"], held["expires"], clock[0]):
            aws()
        return {"access_key": f"ASIA{held['serial']:016d}", "secret_key": "s", "token": "t",
                "expiry_time": datetime.fromtimestamp(held["expires"], timezone.utc).isoformat()}

    def counted_endpoint() -> dict[str, str]:
        figures.endpoint_calls += 1
        if sdk_expiry() - clock[0] < 15 * 60:
            figures.late_endpoint_calls += 1
        return endpoint()

    first = endpoint()
    sdk = RefreshableCredentials(
        first["access_key"], first["secret_key"], first["token"],
        datetime.fromisoformat(first["expiry_time"]), counted_endpoint, "container-role",
        time_fetcher=lambda: datetime.fromtimestamp(clock[0], timezone.utc))

    def sdk_expiry() -> float:
        expiry = sdk._expiry_time  # what the SDK holds now
        return expiry.timestamp() if expiry is not None else 0.0

    end = START + hours * 3600
    while clock[0] < end:
        late = sdk_expiry() - clock[0] < 15 * 60
        sdk.get_frozen_credentials()
        figures.sdk_calls += 1
        if late:
            figures.late_sdk_calls += 1
        clock[0] += every
    return figures


def main() -> None:
    print("lifetime   rule    SDK calls  endpoint calls (per SDK call)  renewals from AWS  "
          "SDK calls with <15 min left")
    for lifetime, label in ((3600, "1 h"), (12 * 3600, "12 h"), (1800, "30 min"),
                            (900, "15 min"), (60, "60 s")):
        for name, rule in (("before", old_rule), ("now", due)):
            hours = 24.0 if lifetime > 3600 else 3.0
            f = simulate(rule, lifetime, hours=hours)
            print(f"{label:>8}  {name:>6}  {f.sdk_calls:>9,}  {f.endpoint_calls:>14,} "
                  f"({f.endpoint_calls / f.sdk_calls:.3f})  {f.renewals:>17,}  "
                  f"{f.late_sdk_calls:,} ({f.late_endpoint_calls:,} went to the endpoint)")


if __name__ == "__main__":
    main()
