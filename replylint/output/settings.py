"""``check --show-settings``: the settings in force as TOML lines, each with where its value
came from (the settings file, the command line or the default)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence

from replylint.kinds.base import Rule
from replylint.run.config import LIST_KEYS, Settings
from replylint.run.scoring import ScoreConfig


def describe(settings: Settings, rules: Sequence[Rule] = ()) -> list[str]:
    """The effective settings as TOML lines, each with where it came from; ``rules`` (the
    loaded ones) adds which are enabled."""
    source = settings.config_file or "none, defaults only"
    lines = [f"# configuration file: {source}"]
    for key in LIST_KEYS:
        values = [str(v) for v in getattr(settings, key)]
        lines.append(_line(key, _toml(values), settings.origin(key)))
    for flag in ("entry_points", "redact"):
        value = "true" if getattr(settings, flag) else "false"
        lines.append(_line(flag, value, settings.origin(flag)))
    lines.extend(
        _line(key, _toml(getattr(settings, key)), settings.origin(key))
        for key in ("profile", "channel", "min_severity")
    )
    lines.append(_line("severity", _toml(dict(settings.severity)), settings.origin("severity")))
    limits = _toml(dict(settings.limits()))
    lines.append(_line("thresholds", limits, settings.origin("thresholds")))
    for setting in dataclasses.fields(ScoreConfig):
        key = f"score.{setting.name}"
        lines.append(_line(key, _toml(getattr(settings.score, setting.name)), settings.origin(key)))
    if rules:
        enabled = sorted(rule.info.code for rule in settings.apply(rules))
        lines.append(f"# enabled rules ({len(enabled)} of {len(rules)}): {', '.join(enabled)}")
    return lines


def _line(key: str, value: str | None, origin: str) -> str:
    if value is None:
        return f"# {key} is not set  # {origin}"
    return f"{key} = {value}  # {origin}"


def _toml(value: object) -> str | None:
    """A TOML value for what settings hold: strings, numbers, lists and tables of them."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = (f"{key} = {_toml(item)}" for key, item in sorted(value.items()))
        return "{ " + ", ".join(items) + " }" if value else "{}"
    if isinstance(value, Iterable):
        return "[" + ", ".join(str(_toml(item)) for item in sorted(value)) + "]"
    return str(value)
