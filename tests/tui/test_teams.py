"""A team file in the app: its targets are listed with their source, and a change waiting
to be accepted is said at start and after a refresh."""

from __future__ import annotations

from pathlib import Path

from switcher import paths
from switcher.model import Environment
from switcher.services import teams
from switcher.store.teams import TeamStore
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.target_table import TargetTable
from tests.conftest import Setup

TEAM = """name = "platform"

[[switch_roles]]
account = "{account}"
role = "TeamOperator"
display_name = "payments operator"
region = "{region}"
environment = "production"
"""


async def test_team_targets_and_a_change_waiting_show_in_the_app(setup: Setup,
                                                                 tmp_path: Path) -> None:
    workspace = setup.sign_in(setup.workspace())
    account = setup.account_id("storefront-dev")
    source = tmp_path / "switcher-team.toml"
    source.write_text(TEAM.format(account=account, region="eu-west-1"))
    store = TeamStore(paths.state_dir(workspace.environ))
    teams.add(store, teams.candidate(str(source)))
    source.write_text(TEAM.format(account=account, region="eu-central-1"))
    assert teams.check_all(store) == [teams.waiting("platform")]

    app = SwitcherApp(setup.workspace())
    async with app.run_test(size=(140, 32)) as pilot:
        table = app.screen.query_one(TargetTable)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = {t.key: t for t in table.targets}
        operator = shown[f"{account}/TeamOperator"]
        assert [w.label for w in operator.ways] == ["team:platform"]
        assert operator.region == "eu-west-1"  # the accepted copy, not the change
        # A team file can make a development account's target production.
        assert operator.environment is Environment.PRODUCTION
        assert any("team platform: a change is waiting" in str(n.message)
                   for n in app._notifications)
