"""Write the fold table replylint ships: ``python -m tools.make_fold_table [--check]``.

The fold (replylint/text/normalize.py) maps every code point to one character: traditional
to simplified, full-width to half-width, upper to lower case, 您 to 你, and spaces and
punctuation to a deletion marker. This script builds that table from Unicode's character
data (``unicodedata``, as this Python has it) and OpenCC's dictionaries, read from
opencc-python-reimplemented (a development dependency only; the data is Apache-2.0, see
replylint/text/OPENCC-LICENSE.txt), and writes it as package data:

- ``fold_table.xz``: the translate table, the character each code point folds to, as one
  UTF-8 string (lone surrogates passed through), xz-compressed;
- ``fold_spellings.tsv``: the traditional and Taiwan spellings that character folding
  cannot reach (回覆, 網路), as folded pairs, with what the data was made from.

Run it at release time, or after changing a rule below. ``--check`` exits 1 when the
shipped files differ from what it makes now; tests/test_fold_table.py runs the same check.
"""

from __future__ import annotations

import argparse
import lzma
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import opencc

from replylint.text.normalize import BREAK, JOIN, TURN_SEPARATOR

DATA = Path(__file__).resolve().parent.parent / "replylint" / "text"
TABLE_FILE = "fold_table.xz"
SPELLINGS_FILE = "fold_spellings.tsv"

_OPENCC_DICTIONARY = Path(opencc.__file__).parent / "dictionary"

# Kept although it is punctuation: '*' masks digits in anonymised exports (***个工作日).
_KEPT_PUNCTUATION = frozenset("*")

# Pronoun variants that change nothing for a rule: one pattern covers 你/您/妳.
_PRONOUN_FOLDS = {"您": "你", "妳": "你"}
# 瞭 is also a simplified character (瞭望), so OpenCC's character table keeps it, but
# traditional text writes 瞭解 and converters write 瞭 for 了 before 如: read it as 了.
_SHARED_CHARACTER_FOLDS = {"瞭": "了"}

# Blocks of ordinary CJK letters: none folds (a test checks every one), so the build
# skips them.
UNFOLDED_BLOCKS = (range(0x3400, 0x4DC0), range(0x4E00, 0x9FF0), range(0xAC00, 0xD7A4))
_SKIPPED = (range(0xD800, 0xE000), *UNFOLDED_BLOCKS)  # surrogates are not characters


def _read_opencc_table(name: str) -> dict[str, str]:
    """First candidate of each single-character entry: OpenCC lists the usual one first."""
    table: dict[str, str] = {}
    with (_OPENCC_DICTIONARY / name).open(encoding="utf-8") as lines:
        for line in lines:
            key, _, values = line.rstrip("\n").partition("\t")
            first = values.split(" ", 1)[0]
            if len(key) == 1 and len(first) == 1:
                table[key] = first
    return table


def _traditional_to_simplified() -> dict[str, str]:
    to_simplified = _read_opencc_table("TSCharacters.txt")
    table = dict(to_simplified)
    # Regional variants (台/臺, 裡/裏, 著/着) first go to OpenCC's standard form; only keep
    # that step when it lands on a simplified character, so 吃 never becomes 喫.
    for regional in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _read_opencc_table(regional).items():
            simplified = to_simplified.get(standard, standard)
            if simplified not in to_simplified and variant not in table:
                table[variant] = simplified
    # Some entries land on a character that folds again (a rare form -> 販 -> 贩):
    # follow each chain to its end so folding is idempotent.
    for key, first in table.items():
        seen, last = {key}, first
        while last in table and last not in seen:
            seen.add(last)
            last = table[last]
        table[key] = last
    return {k: v for k, v in table.items() if k != v}


def fold_char(char: str) -> str | None:
    """The character a single code point folds to, or None when it stays as it is."""
    major = unicodedata.category(char)[0]
    if major in "ZC":
        return JOIN
    if major in "PS" and char not in _KEPT_PUNCTUATION:
        return BREAK  # punctuation and symbols (<NUM>, emoji, ～) separate words
    if ord(char) >= 0xFF00:  # full-width forms; NFKC elsewhere would change too much
        width_folded = unicodedata.normalize("NFKC", char)
        if len(width_folded) == 1 and width_folded != char:
            return fold_char(width_folded) or width_folded
    lowered = char.lower()
    if len(lowered) == 1 and lowered != char:
        return lowered
    return None


def _code_points_to_fold() -> Iterator[int]:
    start = 0
    for skipped in _SKIPPED:
        yield from range(start, skipped.start)
        start = skipped.stop
    yield from range(start, 0x20000)


def fold_mapping() -> dict[int, str]:
    """Every code point that folds to something else, and what it folds to."""
    table: dict[int, str] = {}
    for code in _code_points_to_fold():
        folded = fold_char(chr(code))
        if folded is not None:
            table[code] = folded
    for source, target in _traditional_to_simplified().items():
        table[ord(source)] = target
    for source, target in (_PRONOUN_FOLDS | _SHARED_CHARACTER_FOLDS).items():
        table[ord(source)] = target
    # Control characters in the input must not pass as markers.
    table[ord(JOIN)] = JOIN
    table[ord(BREAK)] = JOIN
    table[ord(TURN_SEPARATOR)] = TURN_SEPARATOR
    return table


def translate_table(mapping: dict[int, str]) -> str:
    """The table as one string: its character at each code point is what that folds to."""
    table = [chr(code) for code in range(max(mapping) + 1)]
    for code, folded in mapping.items():
        table[code] = folded
    return "".join(table)


def phrase_spellings(table: str) -> list[tuple[str, str]]:
    """(simplified, other spelling) pairs, both folded with ``table``, sorted.

    TSPhrases holds traditional words whose simplified form is not character by character
    (回覆 -> 回复); TWPhrasesRev holds Taiwan vocabulary (網路 -> 网络). replylint applies
    them to pack phrases when a linter is compiled, so the text is never converted.
    """

    def view(text: str) -> str:
        return text.translate(table).replace(JOIN, "").replace(BREAK, "")

    pairs: set[tuple[str, str]] = set()
    for name in ("TSPhrases.txt", "TWPhrasesRev.txt"):
        with (_OPENCC_DICTIONARY / name).open(encoding="utf-8") as lines:
            for line in lines:
                other, _, standard = line.rstrip("\n").partition("\t")
                simplified, spelling = view(standard.split(" ", 1)[0]), view(other)
                if simplified and spelling and simplified != spelling:
                    pairs.add((simplified, spelling))
    return sorted(pairs)


@dataclass(frozen=True, slots=True)
class FoldData:
    """What the two files hold, decoded."""

    table: str
    spellings: str  # the .tsv file's text


def make() -> FoldData:
    table = translate_table(fold_mapping())
    header = (
        "# Generated by tools/make_fold_table.py; do not edit. Made from Unicode "
        f"{unicodedata.unidata_version} (Python's unicodedata) and the OpenCC dictionaries "
        f"of opencc-python-reimplemented {version('opencc-python-reimplemented')} "
        "(Apache-2.0: OPENCC-LICENSE.txt).\n"
        "# simplified\tother spelling (both folded)\n"
    )
    rows = "".join(f"{simple}\t{spelling}\n" for simple, spelling in phrase_spellings(table))
    return FoldData(table, header + rows)


def read(folder: Path = DATA) -> FoldData:
    """The shipped files, decoded."""
    table = lzma.decompress((folder / TABLE_FILE).read_bytes()).decode("utf-8", "surrogatepass")
    return FoldData(table, (folder / SPELLINGS_FILE).read_text(encoding="utf-8"))


def write(data: FoldData, folder: Path = DATA) -> None:
    packed = lzma.compress(data.table.encode("utf-8", "surrogatepass"), preset=9)
    (folder / TABLE_FILE).write_bytes(packed)
    (folder / SPELLINGS_FILE).write_text(data.spellings, encoding="utf-8", newline="\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    made = make()
    if not parser.parse_args().check:
        write(made)
        return 0
    if read() == made:
        return 0
    sys.stderr.write(f"{DATA}: the fold table is stale: run python -m tools.make_fold_table\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
