"""Loading YAML: plain YAML means what an editor means, and positions are kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.loader import parse_yaml

REPO = Path(__file__).resolve().parent.parent


def load(text: str) -> object:
    document, problems = parse_yaml("f.yml", text.encode())
    assert problems == []
    return document.data


@pytest.mark.parametrize(("text", "value"), [
    ("NO", "NO"), ("no", "no"), ("on", "on"), ("yes", "yes"), ("off", "off"), ("Y", "Y"),
    ("012345", "012345"), ("0x1F", "0x1F"), ("1_000", "1_000"), ("2026-02-07", "2026-02-07"),
    ("true", True), ("false", False), ("True", "True"), ("null", None), ("~", None), ("", None),
    ("228.1", 228.1), ("85", 85), ("-3", -3), ("1e3", 1000.0), (".inf", ".inf"), ("'007'", "007"),
])
def test_plain_scalars(text: str, value: object) -> None:
    assert load(f"v: {text}\n") == {"v": value}


def test_country_codes_stay_codes() -> None:
    assert load("countries: [NO, SE]\n") == {"countries": ["NO", "SE"]}


def test_the_shipped_countries_read_as_news_names_them() -> None:
    from generator.countries import CountryRegistry
    from generator.models import CountriesFile

    data = load((REPO / "briefings/countries.yml").read_text())
    registry = CountryRegistry(CountriesFile.model_validate(data))
    assert registry.problems == []
    names = {spelling: registry.resolve(spelling).country for spelling in (
        "CD", "DRC", "Democratic Republic of the Congo", "CG", "PS", "FM", "VA", "VG", "VI")}
    assert {k: c.name if c else None for k, c in names.items()} == {
        "CD": "DR Congo", "DRC": "DR Congo", "Democratic Republic of the Congo": "DR Congo",
        "CG": "Republic of the Congo", "PS": "Palestine", "FM": "Micronesia", "VA": "Vatican City",
        "VG": "British Virgin Islands", "VI": "United States Virgin Islands"}
    # No name in ISO 3166's inverted form ("Congo, The Democratic Republic of the").
    inverted = re.compile(r", (The |State of|Federated States|Republic of|British|U\.S\.)")
    assert [c.name for c, _ in registry.defined() if inverted.search(c.name)] == []


def test_positions_of_values_and_keys() -> None:
    document, _ = parse_yaml("f.yml", b"a:\n  - x\n  - {b: 1}\n")
    assert str(document.locate(("a", 1, "b"))) == "f.yml:3:9"
    assert str(document.locate(("a", 1, "b"), key=True)) == "f.yml:3:6"
    assert str(document.locate(("a", 1, "missing"))) == "f.yml:3:5"


def test_alias_bomb_is_rejected_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    _, problems = parse_yaml("f.yml", bomb.encode())
    assert problems
    assert {p.message for p in problems} == {"YAML anchors and aliases are not allowed"}


def test_only_the_safe_loader_is_used() -> None:
    pattern = re.compile(r"yaml\.(load|unsafe_load|full_load)\(|FullLoader|UnsafeLoader|yaml\.Loader\b")
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("generator", "tests", "benchmarks")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.name != "test_loader.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_locating_a_field_in_every_item_matches_locating_each() -> None:
    text = ("extracts:\n  - id: a\n    date: 2026-01-01\n  - {date: 2026-01-02, id: b}\n"
            "  - date: 2026-01-03\n  -\n    id: d\n")
    document, problems = parse_yaml("f.yml", text.encode())
    assert problems == []
    expected = [document.locate(("extracts", i, "id")) for i in range(4)]
    assert document.locate_each(("extracts",), "id", 4) == expected
    assert [(w.line, w.col) for w in expected] == [(2, 9), (4, 28), (5, 5), (7, 9)]
    # Without the sequence (or with fewer items), each is located on its own.
    assert document.locate_each(("missing",), "id", 2) == [document.locate(("missing", 0, "id"))] * 2
