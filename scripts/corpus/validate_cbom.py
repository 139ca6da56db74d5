#!/usr/bin/env python3
"""Validates a CBOM written by `pqbench scan --format cbom` against the
official CycloneDX 1.6 JSON schema (strict), using cyclonedx-python-lib.

Usage: scripts/corpus/validate_cbom.py CBOM.json
"""
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main():
    text = open(sys.argv[1]).read()
    err = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if err is not None:
        print(f"CBOM INVALID: {err}")
        return 1
    bom = json.loads(text)
    assets = [c for c in bom["components"] if c["type"] == "cryptographic-asset"]
    if not assets or not all(a["evidence"]["occurrences"] for a in assets):
        print("CBOM has no cryptographic-asset with occurrences")
        return 1
    print(f"CBOM valid (CycloneDX 1.6 strict): {len(assets)} cryptographic assets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
