#!/usr/bin/python3
"""schema_check.py SCHEMA.json FILE.json ... — validates each FILE against the JSON Schema
(draft 2020-12) SCHEMA, after checking the schema itself. References to other schemas are
resolved next to SCHEMA (docs/schema/). Exit 0 when every file is valid, 1 with the errors,
77 when python3-jsonschema is missing (the caller skips)."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (Debian: python3-jsonschema)")
    sys.exit(77)


def main():
    path = os.path.abspath(sys.argv[1])
    schema = json.load(open(path))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver(base_uri="file://" + path, referrer=schema)
    validator = cls(schema, resolver=resolver)
    bad = 0
    for f in sys.argv[2:]:
        doc = json.load(open(f))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("%s: %s: %s" % (f, where, e.message[:300]))
        bad += bool(errors)
    if bad:
        sys.exit(1)
    print("ok: %d file(s) valid against %s" % (len(sys.argv) - 2, os.path.basename(path)))


main()
