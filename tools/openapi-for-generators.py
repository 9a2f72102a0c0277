#!/usr/bin/env python3
"""Rewrites the schema forms of openapi.json that client generators read badly.

    python3 tools/openapi-for-generators.py chime-server/src/main/resources/openapi.json

OpenApiDocumentTest.theSchemasUseFormsGeneratorsRead fails on each of these; this script writes
them in the form that openapi-generator (typescript-fetch, python) reads, as docs/other-languages.md
describes:

- a type list, {"type": ["string", "null"], "format": "date-time"}, becomes
  {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}: what constrains the
  value (format, enum, minimum, pattern, ...) moves into the non-null branch, what describes the
  field (description, default, examples, ...) stays outside, null leaves an enum (the null branch
  admits it), and a list of two non-null types becomes two branches;
- a const without a type gets the type of its value, as a discriminator needs;
- a const made of no letter or digit, such as the mask "****", becomes a pattern that admits that
  text alone, since a generator names an enum member after its letters and digits.

The file is rewritten with the formatting it has (two-space indent, UTF-8 as is), so the diff
shows only the schemas changed; running it again changes nothing.
"""

import json
import re
import sys

# keywords about the field as a whole; every other keyword constrains the value
DESCRIBING = {"description", "default", "examples", "example", "title", "deprecated", "readOnly",
              "writeOnly", "$comment"}
JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", dict: "object",
              list: "array"}


def without_type_list(schema):
    types = schema["type"]
    non_null = [t for t in types if t != "null"]
    constraints = {k: v for k, v in schema.items() if k != "type" and k not in DESCRIBING}
    if "enum" in constraints:
        constraints["enum"] = [v for v in constraints["enum"] if v is not None]
    if len(non_null) > 1 and constraints:
        raise SystemExit("cannot tell which of %s the keywords %s are for" % (types, constraints))
    branches = [dict({"type": t}, **constraints) for t in non_null]
    if "null" in types:
        branches.append({"type": "null"})
    rebuilt = branches[0] if len(branches) == 1 else {"oneOf": branches}
    out = {}
    for key, value in schema.items():  # the field's own keys stay where they were
        if key == "type":
            out.update(rebuilt)
        elif key in DESCRIBING:
            out[key] = value
    return out


def rewrite(node):
    if isinstance(node, list):
        return [rewrite(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: rewrite(value) for key, value in node.items()}
    if isinstance(node.get("type"), list):
        node = without_type_list(node)
    if "const" in node:
        const = node["const"]
        if isinstance(const, str) and not re.search(r"[A-Za-z0-9]", const):
            node = {("pattern" if k == "const" else k): (
                "^" + re.escape(const) + "$" if k == "const" else v) for k, v in node.items()}
        if "type" not in node:
            node = dict({"type": JSON_TYPES[type(const)]}, **node)
    return node


def main(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(rewrite(doc), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
