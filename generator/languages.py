"""Names of languages for readers, from BCP 47 tags (ISO 639 through pycountry)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

#: The script subtags editors meet, as readers name them.
_SCRIPTS = {"hans": "Simplified", "hant": "Traditional", "latn": "Latin", "cyrl": "Cyrillic",
            "arab": "Arabic", "jpan": "Japanese", "kore": "Korean"}


@lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """``Chinese, Traditional`` for ``zh-Hant``, ``Japanese`` for ``ja``; the
    tag itself when ISO 639 does not know it."""
    primary, *rest = tag.split("-")
    code = primary.lower()
    record = (pycountry.languages.get(alpha_2=code) if len(code) == 2
              else pycountry.languages.get(alpha_3=code))
    if record is None:
        return tag
    name = str(record.name)
    scripts = [_SCRIPTS[part.lower()] for part in rest if part.lower() in _SCRIPTS]
    return ", ".join([name, *scripts])
