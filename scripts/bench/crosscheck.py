"""The benchmark's cross-check: another engine's district x need figures against the pipeline's aggregates.csv.

aggregates.csv (UTF-8 with BOM) has district_code, district, need, establishments, employees, ...: per district
an `all` row and one row per need key, then the province (blank district_code). Only the district x need rows
are compared; a need with no establishment is a zero row there and no row in the other engine's output.
The other engines name a need by its column header (needs.csv name_vi); it is mapped to the need key here.
"""

import csv
import os

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "input", "reference")


def need_keys():
    """needs.csv name_vi -> key."""
    with open(os.path.join(REFERENCE, "needs.csv"), encoding="utf-8-sig", newline="") as f:
        return {r["name_vi"]: r["key"] for r in csv.DictReader(f)}


def read_pipeline(path):
    """(figures, surveyed): figures maps (district_code, need key) -> (establishments, employees) for the
    district x need rows with a nonzero count; surveyed maps district_code ('' for the province) -> the `all`
    row's establishments."""
    figures, surveyed = {}, {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            counts = (int(r["establishments"]), int(r["employees"]))
            if r["need"] == "all":
                surveyed[r["district_code"]] = counts[0]
            elif r["district_code"] and counts != (0, 0):
                figures[(r["district_code"], r["need"])] = counts
    return figures, surveyed


def read_job(path, keys):
    """The output of scripts/bench/jobs.py, needs mapped to keys (an unknown header is kept as written)."""
    figures = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["district_code"], keys.get(r["need"], "column " + r["need"]))
            counts = (int(r["establishments"]), int(r["employees"]))
            if key in figures:
                raise ValueError(f"{path}: {key} twice")
            if counts != (0, 0):
                figures[key] = counts
    return figures


def differences(expected, got, limit=20):
    """Lines naming each district x need whose (establishments, employees) differ; [] when they agree."""
    out = []
    for key in sorted(set(expected) | set(got)):
        want, have = expected.get(key, (0, 0)), got.get(key, (0, 0))
        if want != have:
            out.append(
                f"district {key[0] or '(blank)'} x {key[1]}: pipeline {want[0]} establishments / {want[1]} employees,"
                f" other {have[0]} / {have[1]}")
    if len(out) > limit:
        out = out[:limit] + [f"... and {len(out) - limit} more"]
    return out
