"""The KINDS registry is closed and complete: every kind module is registered, and every
kind has a record, keys, documentation, a check and examples in the bundled packs."""

from __future__ import annotations

import dataclasses
import inspect
import pkgutil
import typing
from typing import Any

import pytest

import replylint.kinds
from replylint import Rule, load_packs
from replylint.engine.ruletest import flagged_and_allowed
from replylint.kinds import KIND_MODULES, KINDS, kind_of
from replylint.kinds.base import MatchOptions, RuleInfo, RuleKind
from replylint.kinds.response import Detector
from replylint.packs.docs import rule_section
from replylint.packs.schema import rule_keys
from replylint.text.recognise import RECOGNISERS
from replylint.text.recognise.answers import Answer

BUNDLED = load_packs()
# Modules of the kinds package that are no kind: what every kind shares.
# What every kind may read of a call: its metadata and channel; canned replies (a kind soon).
SHARED = {"base", "metadata", "channels", "canned"}


def test_every_module_of_the_package_is_a_registered_kind() -> None:
    modules = {module.name for module in pkgutil.iter_modules(replylint.kinds.__path__)}
    assert modules - SHARED == set(KIND_MODULES)
    assert len(KINDS) == len(KIND_MODULES)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_kind_has_a_frozen_record_named_by_its_kind(kind: RuleKind[Any]) -> None:
    record = kind.record
    assert record.kind == kind.name
    assert getattr(record, "__dataclass_params__").frozen  # noqa: B009 - a dataclass's own
    assert typing.get_type_hints(record)["info"] is RuleInfo


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_kind_has_keys_beside_the_common_ones(kind: RuleKind[Any]) -> None:
    keys = rule_keys(kind.record, frozenset(kind.fixed))
    common = {"code", "name", "kind", "message", "description", "source", "examples"}
    assert common <= set(keys)
    assert set(keys) - common - {"severity", "suggestion", "rationale", "profiles", "title"}
    assert set(kind.fixed) <= {field.name for field in dataclasses.fields(RuleInfo)}


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_kind_implements_its_check_and_docs(kind: RuleKind[Any]) -> None:
    assert not inspect.isabstract(type(kind))
    for method in ("check", "docs", "slots", "flagged_and_allowed"):
        assert getattr(type(kind), method) is not getattr(RuleKind, method), method


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_kind_has_rules_with_examples_in_the_bundled_packs(kind: RuleKind[Any]) -> None:
    rules = [rule for rule in BUNDLED if rule.kind == kind.name]
    assert rules, f"no bundled rule of kind {kind.name}"
    for rule in rules:
        assert isinstance(rule, kind.record)
        assert kind_of(rule) is kind
        assert {example.should_flag for example in rule.info.examples} == {True, False}
        assert isinstance(rule.options, MatchOptions)
        lines = list(kind.docs(rule))
        assert lines
        assert set(lines) <= set(rule_section(rule))
        flagged_and_allowed(rule)  # the data checks can ask every kind


def test_only_kinds_with_a_limit_take_a_threshold() -> None:
    taking = {name for name, kind in KINDS.items() if kind.takes_threshold}
    assert taking == {"timing", "commitment"}
    for rule in BUNDLED:
        kind = kind_of(rule)
        if kind.takes_threshold:
            assert kind.with_threshold(rule, 7.0) != rule
        else:
            with pytest.raises(TypeError):
                kind.with_threshold(rule, 7.0)


def test_what_a_rule_names_of_a_recogniser_is_registered() -> None:
    assert {*Detector, *Answer} <= RECOGNISERS.keys()
    assert all(recogniser.description for recogniser in RECOGNISERS.values())


def test_every_record_is_a_rule_and_nothing_else_is() -> None:
    assert all(isinstance(rule, Rule) for rule in BUNDLED)
    assert not isinstance(BUNDLED[0].info, Rule)
