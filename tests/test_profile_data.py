"""Profiles are data (rules/profiles.toml): read strictly, and every code in them names a
rule that fits what the profile does with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint import PROFILES, PackError, load_packs
from replylint.kinds import kind_of
from replylint.packs.profiles import bundled_profiles, get_profile, load_profiles

RULES = {rule.info.code: rule for rule in load_packs()}

GOOD = """
[power]
title = "电网"
[telecom]
title = "通信"
[bank]
title = "银行"
[auto]
title = "汽车"
[ecommerce]
title = "电商"
ignore = ["TM003"]
thresholds = { TM001 = 30 }
"""


def test_every_profile_has_a_title_and_chats_get_their_own_thresholds() -> None:
    profiles = bundled_profiles()
    assert tuple(profiles) == PROFILES
    assert all(profile.title.strip() for profile in profiles.values())
    ecommerce = get_profile("ecommerce")
    assert dict(ecommerce.thresholds) == {"TM001": 30, "TM002": 60}
    assert ecommerce.ignore == {"TM003", "TM004"}


def test_every_code_of_a_profile_names_a_rule_it_can_apply_to() -> None:
    for profile in bundled_profiles().values():
        assert profile.ignore <= RULES.keys(), profile.name
        for code in profile.thresholds:
            assert kind_of(RULES[code]).takes_threshold, (profile.name, code)


def test_an_unknown_profile_is_named_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="power"):
        get_profile("retail")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_profiles_file_loads(tmp_path: Path) -> None:
    profiles = load_profiles(write(tmp_path, GOOD))
    assert profiles["ecommerce"].thresholds == {"TM001": 30.0}


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (('title = "电网"', 'title = "电网"\ncolour = "red"'), "[power]: unknown key 'colour'"),
        (('title = "电网"\n', ""), "[power]: missing key 'title'"),
        (("TM001 = 30", "TM001 = 0"), "[ecommerce]: 'thresholds': TM001 must be a number above 0"),
        (("TM001 = 30", "tm1 = 3"), "[ecommerce]: 'thresholds': 'tm1' is no rule code"),
        (
            ('ignore = ["TM003"]', 'ignore = ["x"]'),
            "[ecommerce]: 'ignore': ['x']",
        ),
        (("[auto]", "[retail]"), "'retail' is no profile"),
        (("[auto]", "[retail]"), "no table for the profile 'auto'"),
    ],
)
def test_each_mistake_in_a_profiles_file_is_named_with_the_file(
    tmp_path: Path, edit: tuple[str, str], problem: str
) -> None:
    assert edit[0] in GOOD
    path = write(tmp_path, GOOD.replace(*edit, 1))
    with pytest.raises(PackError) as caught:
        load_profiles(path)
    assert all(found.startswith(str(path)) for found in caught.value.problems)
    assert any(problem in found for found in caught.value.problems), caught.value.problems


def test_the_profiles_file_is_no_rule_file(tmp_path: Path) -> None:
    """A rule folder holding profiles.toml (the bundled one does) is no pack for it."""
    write(tmp_path, GOOD)
    with pytest.raises(PackError, match="unknown pack"):
        load_packs([tmp_path], packs=[tmp_path.name])
