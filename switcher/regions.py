"""Every AWS region, by partition, from botocore's own partition data: the one place that says
whether a region name is real, for the command line and the app alike.

The data is read on the first lookup, from the JSON files botocore ships (found without
importing botocore), so a command that never looks at a region never pays for it. Lookups
are pure functions of that data.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from switcher.errors import UnknownRegionError
from switcher.text import visible

log = logging.getLogger(__name__)

DATA_FILES = ("endpoints.json", "partitions.json")
"""endpoints.json lists each partition's regions; partitions.json (newer botocore releases)
can name regions endpoints.json does not have yet. Both are read and merged."""


@dataclass(frozen=True)
class Region:
    name: str
    partition: str
    description: str = ""


def _botocore_data() -> Path | None:
    spec = find_spec("botocore")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _partitions(data: object) -> list[tuple[str, dict[str, object]]]:
    """(partition id, its regions) from either file's layout."""
    if not isinstance(data, dict) or not isinstance(data.get("partitions"), list):
        return []
    found = []
    for partition in data["partitions"]:
        if not isinstance(partition, dict):
            continue
        name = partition.get("partition") or partition.get("id")
        regions = partition.get("regions")
        if isinstance(name, str) and isinstance(regions, dict):
            found.append((name, regions))
    return found


@cache
def known_regions() -> dict[str, Region]:
    """Every region botocore knows, by name, in name order. Empty only when botocore's data
    cannot be read (then nothing is refused: see `parse_region`)."""
    directory = _botocore_data()
    regions: dict[str, Region] = {}
    for file_name in DATA_FILES:
        if directory is None:
            break
        try:
            data = json.loads((directory / file_name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as error:
            log.warning("cannot read botocore's region data %s: %s", file_name, error)
            continue
        for partition, entries in _partitions(data):
            for name, details in entries.items():
                # partitions.json also lists pseudo-regions such as aws-global
                if name.startswith(partition + "-") and name.endswith("-global"):
                    continue
                description = details.get("description", "") if isinstance(details, dict) else ""
                if name not in regions or not regions[name].description:
                    regions[name] = Region(name, partition, str(description or ""))
    return dict(sorted(regions.items()))


def region_names(partition: str | None = None) -> list[str]:
    """Every known region name (of one partition, e.g. "aws-us-gov", when given)."""
    return [r.name for r in known_regions().values()
            if partition is None or r.partition == partition]


def normalise(text: str) -> str:
    """Region names are lower case; people type them in any case, with stray spaces."""
    return text.strip().lower()


def nearest_regions(text: str, limit: int = 3) -> list[str]:
    """Up to `limit` known regions nearest to `text`: those it starts, then by likeness."""
    import difflib

    wanted = normalise(text)
    names = region_names()
    nearest = [name for name in names if wanted and name.startswith(wanted)][:limit]
    for name in difflib.get_close_matches(wanted, names, n=limit, cutoff=0.4):
        if name not in nearest and len(nearest) < limit:
            nearest.append(name)
    return nearest


def parse_region(text: str) -> str | None:
    """The region `text` names (normalised), or None when no partition has it. For the app's
    region picker and anything else that takes a typed region."""
    name = normalise(text)
    known = known_regions()
    if not known:  # botocore's data could not be read: do not refuse what we cannot check
        return name or None
    return name if name in known else None


def check_region(text: str) -> str:
    """The region `text` names (normalised), or UnknownRegionError naming the nearest ones."""
    name = parse_region(text)
    if name is not None:
        return name
    nearest = nearest_regions(text)
    raise UnknownRegionError(f"unknown region '{visible(text)}'"
                             + (f"; did you mean {', '.join(nearest)}?" if nearest else ""),
                             nearest)
