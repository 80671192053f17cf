"""The JSON Schema of the editors' format, derived from the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .models import SLUG_PATTERN, CountriesFile, EventEntry, PairFile, SourceFile, ThemeEntry

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """Schema of a source file; ``$defs`` also describes the other data files."""
    models: list[type[BaseModel]] = [SourceFile, PairFile, CountriesFile, ThemeEntry, EventEntry]
    _, top = models_json_schema([(m, "validation") for m in models],
                                ref_template="#/$defs/{model}")
    defs: dict[str, Any] = dict(sorted(top["$defs"].items()))
    for name, entry in (("ThemesFile", "ThemeEntry"), ("EventsFile", "EventEntry")):
        defs[name] = {
            "type": "object",
            "propertyNames": {"pattern": SLUG_PATTERN},
            "additionalProperties": {"$ref": f"#/$defs/{entry}"},
        }
    root = dict(defs["SourceFile"])
    root.pop("title", None)
    return {"$schema": SCHEMA_ID, "title": "Briefings source file", **root, "$defs": defs}
