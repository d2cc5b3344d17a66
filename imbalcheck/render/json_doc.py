"""Machine output: the result's ``to_dict()`` as JSON (UTF-8, labels unescaped).

Below the top level, a list of objects (the per-class rows) or an object whose values
are all objects (per class, per bucket) puts one compact entry on each line; another object holding objects
or lists is indented, one key per line; any other object or list (numbers, labels, a
label -> weight map) is written on one line. ``json.dumps(indent=...)`` would run
the pure-Python encoder, about 10 s for a million-class report; every leaf here goes
through the C encoder.
"""

from __future__ import annotations

import json

_STEP = "  "
_compact = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode


def to_json(document: dict) -> str:
    return _dump(document, "") + "\n"


def _dump(value, indent: str) -> str:
    inner = indent + _STEP
    if indent and isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        items = (f"{inner}{_compact(_key(k))}: {_compact(v)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        items = (f"{inner}{_compact(_key(k))}: {_dump(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(inner + _compact(v) for v in value) + "\n" + indent + "]"
    return _compact(value)


def _key(k) -> str:
    """A dict key as ``json`` writes it (``1`` -> "1", ``True`` -> "true")."""
    return k if isinstance(k, str) else next(iter(json.loads(_compact({k: None}))))
