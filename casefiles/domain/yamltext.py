"""YAML as casefiles reads it: dates and times stay text, so that validation parses them and an
impossible one (2020-02-30) is reported with the field it stands in, not as a parser crash."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML has it: the pure-Python one spent about a sixth of a replay's
# time reading the policy again for each replayed case (tests/benchmarks/replay_import.py)
_SAFE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextDatesLoader(_SAFE):  # type: ignore[valid-type,misc]
    """The safe loader without the implicit timestamp type."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """Parse ``text`` safely, leaving dates as text."""
    return yaml.load(text, Loader=TextDatesLoader)
