"""Role chains in ~/.aws/config: checked in linear time, with readable problems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.sources import profiles
from switcher.store.awsconfig import AwsConfig, load_aws_config

LENGTH = 10_000


def _chain_config(path: Path, loop: bool) -> AwsConfig:
    sections = [f"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/R{i}\n"
                f"source_profile = p{i + 1}\n" for i in range(LENGTH - 1)]
    last = (f"[profile p{LENGTH - 1}]\nrole_arn = arn:aws:iam::123456789012:role/Last\n"
            + ("source_profile = p0\n" if loop else "source_profile = keys\n"))
    path.write_text("".join(sections) + last + "[profile keys]\naws_access_key_id = AKIA\n")
    return load_aws_config(path)


@pytest.mark.parametrize("loop", [True, False])
def test_each_profile_is_walked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     loop: bool) -> None:
    config = _chain_config(tmp_path / "config", loop)
    steps = 0
    real_step = profiles._step

    def counted(*args: object) -> tuple[str, str | None]:
        nonlocal steps
        steps += 1
        return real_step(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(profiles, "_step", counted)
    targets = profiles.profile_targets(config)
    assert len(targets) == LENGTH
    assert steps <= LENGTH + 1
    problems = {t.profile_names[0]: t.problem for t in targets}
    if loop:
        assert problems["p0"] == ("source_profile loop: p0 -> p1 -> p2 -> p3 -> … -> "
                                  f"p{LENGTH - 2} -> p{LENGTH - 1} -> p0")
        assert problems["p5"] == ("source_profile loop: p5 -> p6 -> p7 -> p8 -> … -> "
                                  "p3 -> p4 -> p5")
        assert all(problem.startswith("source_profile loop: ") for problem in problems.values())
    else:
        assert not any(problems.values())


def test_a_short_loop_is_shown_whole(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\n"
                    "source_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:"
                    "role/B\nsource_profile = a\n[profile c]\nrole_arn = arn:aws:iam::"
                    "123456789012:role/C\nsource_profile = nowhere\n")
    config = load_aws_config(path)
    problems = profiles.ChainProblems(config, AwsConfig(path))
    assert problems("a") == "source_profile loop: a -> b -> a"
    assert problems("b") == "source_profile loop: b -> a -> b"
    assert problems("c") == "source profile 'nowhere' does not exist"


def test_switcher_list_with_a_loop_through_ten_thousand_profiles(tmp_path: Path) -> None:
    config = tmp_path / "config"
    _chain_config(config, loop=True)
    listed = subprocess.run([sys.executable, "-m", "switcher", "list"],
                            env={**os.environ, "AWS_CONFIG_FILE": str(config)},
                            capture_output=True, text=True, timeout=60, check=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("source_profile loop") == LENGTH
