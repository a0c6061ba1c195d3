"""Stable, compact JSON for goldens: one line per tensor, numbers to 12 significant digits.

Shared by the golden generators in this folder; the same document always gives the same bytes.
"""

import json
import math

SIGNIFICANT = 12
WIDTH = 96


def number(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if not math.isfinite(v):
        raise ValueError(f"golden values must be finite, got {v}")
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return format(v, f".{SIGNIFICANT}g")


def flat(v, indent):
    """Tensors ({"shape", "data"}) always fit on one line; anything else when it is short."""
    if isinstance(v, dict) and "data" in v:
        return True
    return len(inline(v)) + 2 * indent <= WIDTH


def inline(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {inline(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(inline(x) for x in v) + "]"
    if isinstance(v, (int, float)):
        return number(v)
    return json.dumps(v)


def dump_json(v, indent=0):
    if flat(v, indent):
        return inline(v) + ("\n" if indent == 0 else "")
    pad = "  " * (indent + 1)
    if isinstance(v, dict):
        body = ",\n".join(f"{pad}{json.dumps(k)}: {dump_json(x, indent + 1)}" for k, x in v.items())
        out = "{\n" + body + "\n" + "  " * indent + "}"
    else:
        body = ",\n".join(pad + dump_json(x, indent + 1) for x in v)
        out = "[\n" + body + "\n" + "  " * indent + "]"
    return out + ("\n" if indent == 0 else "")
