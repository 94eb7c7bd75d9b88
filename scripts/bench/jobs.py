#!/usr/bin/env python3
"""The benchmark's comparison job in DuckDB or pandas, one engine per process.

The job: read the survey, map the district spelling through the alias table,
unpivot the nine need columns, and per district x need count the
establishments that marked the need and sum their employees.

Usage (with the benchmark's venv, .venv-bench/bin/python):
  jobs.py duckdb --threads N DATA_DIR OUT.csv
  jobs.py pandas DATA_DIR OUT.csv
DATA_DIR is a folder scripts/bench/generate.py wrote (in/survey.csv,
district-aliases.csv, meta.json). OUT.csv gets district_code, need (the need
column's header), establishments, employees; a district spelling missing
from the alias table comes out with district_code `?`, so the
benchmark's cross-check sees it instead of losing the row. The job's own
seconds (after imports) go to stderr as `job_seconds N`.

Each run imports only its engine, so the process's peak RSS is the engine's.
"""

import csv
import json
import os
import sys
import time


def load(data_dir):
    with open(os.path.join(data_dir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    return (os.path.join(data_dir, "in", "survey.csv"), os.path.join(data_dir, "district-aliases.csv"), meta)


def quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def duckdb_job(data_dir, threads):
    import duckdb

    survey, aliases, meta = load(data_dir)
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    needs = ", ".join(quote(n) for n in meta["need_headers"])
    # all_varchar: no type sniffing of the Vietnamese dates and numbers; only employees is cast.
    query = f"""
        WITH survey AS (
          SELECT {quote(meta["district_header"])} AS district,
                 CAST({quote(meta["employees_header"])} AS BIGINT) AS employees, {needs}
          FROM read_csv(?, header = true, all_varchar = true, delim = ',', quote = '"')
        ),
        aliases AS (SELECT alias, district_code FROM read_csv(?, header = true, all_varchar = true)),
        coded AS (
          SELECT coalesce(a.district_code, '?') AS district_code, s.employees, {needs}
          FROM survey s LEFT JOIN aliases a ON s.district = a.alias
        ),
        marked AS (UNPIVOT coded ON {needs} INTO NAME need VALUE mark)
        SELECT district_code, need, count(*) AS establishments, sum(employees) AS employees
        FROM marked WHERE mark <> ''
        GROUP BY district_code, need ORDER BY district_code, need
    """
    rows = con.execute(query, [survey, aliases]).fetchall()
    return rows, time.perf_counter() - started


def pandas_job(data_dir):
    import pandas as pd

    survey, aliases, meta = load(data_dir)
    started = time.perf_counter()
    district, employees, needs = meta["district_header"], meta["employees_header"], meta["need_headers"]
    df = pd.read_csv(
        survey, usecols=[district, employees] + needs, encoding="utf-8-sig",
        dtype={district: str, employees: "int64", **{n: str for n in needs}}, na_filter=False)
    table = pd.read_csv(aliases, dtype=str, na_filter=False)
    df["district_code"] = df[district].map(dict(zip(table["alias"], table["district_code"]))).fillna("?")
    long = df.melt(id_vars=["district_code", employees], value_vars=needs, var_name="need", value_name="mark")
    long = long[long["mark"] != ""]
    out = long.groupby(["district_code", "need"], sort=True).agg(
        establishments=("mark", "size"), employees=(employees, "sum"))
    rows = [(code, need, int(r.establishments), int(r.employees)) for (code, need), r in out.iterrows()]
    return rows, time.perf_counter() - started


def main():
    args = sys.argv[1:]
    if len(args) == 5 and args[0] == "duckdb" and args[1] == "--threads":
        rows, seconds = duckdb_job(args[3], args[2])
    elif len(args) == 3 and args[0] == "pandas":
        rows, seconds = pandas_job(args[1])
    else:
        sys.exit(__doc__.split("\n\n")[2])
    with open(args[-1], "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["district_code", "need", "establishments", "employees"])
        writer.writerows(rows)
    print(f"job_seconds {seconds:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
