"""Machine output: the result's ``to_dict()`` as JSON (UTF-8, labels unescaped)."""

from __future__ import annotations

import json


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
