"""Resolving what editors write (names, ISO codes, aliases) to one country.

ISO 3166-1 comes from pycountry, the maintained packaging of the ISO data.
``countries.yml`` renames countries for display (Russia, not "Russian
Federation"), adds aliases (USA, U.S., America) and defines non-country
actors (European Union, United Nations...).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

import pycountry

from .models import CountriesFile, Country, Pair, slugify


@dataclass(frozen=True)
class Resolution:
    """The result of looking a name up: a country, or ``None``."""

    country: Country | None


class CountryRegistry:
    """Every country and actor an editor may name, by every accepted spelling."""

    def __init__(self, config: CountriesFile | None = None) -> None:
        config = config or CountriesFile()
        self._by_code: dict[str, Country] = {}
        self._by_name: dict[str, Country] = {}
        self._resolved: dict[str, Resolution] = {}
        self._suggested: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], Pair] = {}
        #: Every country and actor, with where countries.yml defines it.
        self._defined: list[tuple[Country, tuple[str | int, ...]]] = []
        self.problems: list[tuple[tuple[str | int, ...], str]] = []
        self._add_countries(config)
        actors = self._add_actors(config)
        for code, entry in config.countries.items():
            if code in self._by_code:
                for i, alias in enumerate(entry.aliases):
                    self._claim(alias, self._by_code[code], ("countries", code, "aliases", i))
        for slug, actor in actors.items():
            for i, alias in enumerate(config.actors[slug].aliases):
                self._claim(alias, actor, ("actors", slug, "aliases", i))

    def _add_countries(self, config: CountriesFile) -> None:
        """ISO 3166's countries, by their codes and ISO names, then by the
        display names countries.yml gives them, which no other country may have."""
        for record in pycountry.countries:
            entry = config.countries.get(record.alpha_2)
            name = (entry.name if entry and entry.name else None) or getattr(
                record, "common_name", None) or record.name
            country = Country(slugify(name), name, record.alpha_2, record.alpha_3)
            self._by_code[record.alpha_2] = self._by_code[record.alpha_3] = country
            self._defined.append((country, ("countries", record.alpha_2, "name")))
            for spelling in (record.name, getattr(record, "common_name", None),
                             getattr(record, "official_name", None)):
                if spelling:
                    self._by_name.setdefault(spelling.casefold(), country)
        for code, entry in config.countries.items():
            if code not in self._by_code or len(code) != 2:
                self.problems.append((("countries", code),
                                      f"'{code}' is not an ISO 3166-1 alpha-2 country code"))
            elif entry.name and not self._claim(entry.name, self._by_code[code], ("countries", code, "name")):
                self._rename_to_iso(code)
        for country, _ in self._defined:
            self._by_name.setdefault(country.name.casefold(), country)

    def _rename_to_iso(self, code: str) -> None:
        """Name the country ``code`` as ISO 3166 does, its own name being another's."""
        old = self._by_code[code]
        record = pycountry.countries.get(alpha_2=code)
        name = str(getattr(record, "common_name", None) or getattr(record, "name", code))
        country = Country(slugify(name), name, old.alpha2, old.alpha3)
        self._by_code[old.alpha2] = self._by_code[old.alpha3] = country
        self._defined = [(country if c.alpha2 == code else c, where) for c, where in self._defined]

    def _add_actors(self, config: CountriesFile) -> dict[str, Country]:
        """The actors of countries.yml, by their keys."""
        actors = {}
        for slug, entry in config.actors.items():
            if not entry.name:
                self.problems.append((("actors", slug, "name"), "an actor needs a 'name'"))
                continue
            actor = Country(slugify(entry.name), entry.name, actor=True)
            if self._claim(entry.name, actor, ("actors", slug, "name")):
                actors[slug] = actor
                self._defined.append((actor, ("actors", slug, "name")))
        return actors

    def _claim(self, spelling: str, country: Country, where: tuple[str | int, ...]) -> bool:
        """Make ``spelling`` name ``country``, unless it names another already."""
        key = spelling.casefold()
        owner = self._by_code.get(spelling) or self._by_name.get(key)
        if owner is not None and owner is not country:
            named = f"{owner.name} ({owner.alpha2})" if owner.alpha2 else owner.name
            self.problems.append((where, f"'{spelling}' already names {named}"))
            return False
        self._by_name[key] = country
        return True

    def resolve(self, spelling: str) -> Resolution:
        """Look up a name, ISO alpha-2/alpha-3 code (upper case) or alias."""
        # Editors spell the same few hundred countries tens of thousands of times.
        known = self._resolved.get(spelling)
        if known is not None:
            return known
        result = Resolution(self._by_code.get(spelling) or self._by_name.get(spelling.casefold()))
        self._resolved[spelling] = result
        return result

    def pair(self, x: Country, y: Country) -> Pair:
        """The pair of ``x`` and ``y``, made once for each pair."""
        key = (x.slug, y.slug)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = self._pairs[(y.slug, x.slug)] = Pair.of(x, y)
        return found

    def suggest(self, spelling: str) -> str:
        """A hint for an unknown spelling: the countries it could mean."""
        found = self._suggested.get(spelling)
        if found is None:
            found = self._suggested[spelling] = self._suggestion(spelling)
        return found

    def _suggestion(self, spelling: str) -> str:
        folded = spelling.casefold()
        # "Russia" is the start of "Russian Federation": a better guess than
        # the closest spelling by edit distance.
        starts = sorted(k for k in self._by_name if k.startswith(folded) and len(folded) >= 3)
        found = starts or difflib.get_close_matches(folded, list(self._by_name), n=1, cutoff=0.6)
        # Every country the spelling could mean ("Korea": North or South), not
        # the first in alphabetical order.
        names = list(dict.fromkeys(self._by_name[k].name for k in found))[:3]
        if names:
            quoted = [f"'{n}'" for n in names]
            either = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            return f"did you mean {either}?"
        return "add it to countries.yml as an alias or an actor"

    def defined(self) -> list[tuple[Country, tuple[str | int, ...]]]:
        """Every country and actor, with where countries.yml defines (or would define) it."""
        return list(self._defined)


#: Letters of other alphabets that look like Latin ones: a name mixing them
#: with Latin letters passes for another name ("Russiа" with a Cyrillic а).
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def lookalike_problem(name: str) -> str:
    """Why ``name`` could pass for another name ('' when it could not): it
    mixes Latin letters with look-alike letters of another alphabet in one
    word, or holds an invisible character."""
    for char in name:
        if unicodedata.category(char) == "Cf":
            return f"holds the invisible character U+{ord(char):04X}, so it looks like a name without it"
    for word in name.split():
        scripts = {unicodedata.name(c, "?").split(" ")[0] for c in word if c.isalpha()}
        other = sorted(scripts.intersection(_LOOKALIKE_SCRIPTS))
        if "LATIN" in scripts and other:
            return (f"mixes Latin and {other[0].title()} letters in '{word}', so it looks like "
                    f"another name")
    return ""
