#!/usr/bin/env python3
"""Write a synthetic survey of N rows in the form's layout, for the benchmark.

One CSV (UTF-8 with a BOM and CRLF line ends, as Excel's "CSV UTF-8" writes
it) with the form's Vietnamese headers and 19 columns: STT, tax code, name,
enterprise type, commune, district, main sector, employees, the nine need
columns (`x` or blank), annual revenue and survey date. Every row counts:

- tax codes are 10 digits and unique (an affine bijection of the row number),
  so no row is a duplicate of another;
- district cells are spellings from input/reference/district-aliases.csv, so
  every row resolves to exactly the district the alias table names, and the
  commune (blank in about 15% of rows) is a pre-2025 commune of that district;
- enterprise types are spellings from input/reference/enterprise-types.csv;
- employees are whole numbers 1-300, needs are `x` or blank, dates dd/mm/yyyy.

So the same job done by any engine from the district alias table alone
(map the district spelling, unpivot the nine needs, count and sum employees
per district x need) must give exactly the pipeline's aggregates.

Beside the survey it writes the alias table the SQL and pandas jobs use
(alias,district_code: the reference file's rows) and meta.json (rows, seed,
size, generator version), so a kept folder can be reused.

With --duplicate-every K (for scripts/benchmark-nightly), every K-th row
takes the tax code of the row before it, so that normalise merges rows // K
duplicates, as a real survey gives it some; the rest of the row stays its own.

Usage: scripts/bench/generate.py --out-dir DIR --rows N [--seed 1] [--duplicate-every K]
  DIR/in/survey.csv, DIR/district-aliases.csv, DIR/meta.json
Deterministic: the same rows and seed give the same bytes.
"""

import argparse
import csv
import datetime
import hashlib
import json
import math
import operator
import os
import random
import sys
import time

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "input", "reference")
# Bump when the bytes written for a given (rows, seed) change, so kept folders are regenerated.
VERSION = 1
CHUNK = 50_000

HEADER_BEFORE_NEEDS = [
    "STT", "Mã số thuế", "Tên cơ sở", "Loại hình", "Xã/Phường/Thị trấn", "Huyện/Thành phố",
    "Ngành nghề chính", "Số lao động",
]
HEADER_AFTER_NEEDS = ["Doanh thu năm (triệu đồng)", "Ngày khảo sát"]

# Share of establishments asking for each need, in needs.csv order.
NEED_SHARES = [0.35, 0.15, 0.08, 0.30, 0.12, 0.40, 0.10, 0.20, 0.05]
# Share of rows by enterprise type key.
TYPE_SHARES = {"household": 0.60, "company": 0.25, "cooperative": 0.10, "coop_group": 0.05}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh",
            "Mai", "Tạ", "Lương", "Phan", "Hà", "Trịnh", "Đoàn"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Ngọc", "Xuân", "Thu", "Công", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiền", "Hoà", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thắng", "Thảo",
         "Thuỷ", "Tiến", "Toàn", "Trang", "Tuấn", "Việt", "Yến", "Đạt", "Đông", "Huệ"]
TRADES = ["may", "mộc", "cơ khí", "gò hàn", "bún bánh", "bánh đa", "chế biến nông sản", "mây tre đan",
          "chiếu cói", "thêu ren", "dệt", "gạch không nung", "đồ gỗ mỹ nghệ", "nước mắm", "xay xát",
          "sơn mài", "đúc đồng", "giò chả", "nấu rượu", "sửa chữa máy nông nghiệp"]
BRANDS = ["Thành Đạt", "Hoàng Long", "Minh Phát", "Phú Cường", "An Khang", "Thái Sơn", "Hưng Thịnh",
          "Đại Việt", "Quang Minh", "Tân Tiến", "Hồng Hà", "Bảo Châu", "Trường An", "Vạn Xuân", "Kim Ngân"]


USED = ["district-aliases.csv", "communes-legacy.csv", "enterprise-types.csv", "sectors.csv", "needs.csv"]


def reference_digest():
    """SHA-256 of the reference tables the survey is drawn from: a kept survey is reused only while it matches."""
    digest = hashlib.sha256()
    for name in USED:
        with open(os.path.join(REFERENCE, name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def read(name):
    with open(os.path.join(REFERENCE, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def cell(text):
    """A CSV cell: quoted when it holds a delimiter, a quote or a line break."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


TABLE_BITS = 16


def table(pool_weights):
    """A list of 2^16 cells (UTF-8 bytes) in which each value appears in proportion to its weight."""
    size = 1 << TABLE_BITS
    total = sum(w for _, w in pool_weights)
    exact = [w / total * size for _, w in pool_weights]
    counts = [int(e) for e in exact]
    # largest remainders take the slots left over
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: size - sum(counts)]:
        counts[i] += 1
    out = []
    for (value, _), count in zip(pool_weights, counts):
        out += [value.encode("utf-8")] * count
    return out


def draw(rng, cells, n):
    """n cells drawn uniformly from a 2^16-cell table, in C: random bits as indices, one itemgetter."""
    indices = memoryview(rng.getrandbits(TABLE_BITS * n).to_bytes(2 * n, "little")).cast("H")
    return operator.itemgetter(*indices)(cells) if n > 1 else (cells[indices[0]],)


class Pools:
    """Every cell value a row can take, drawn once from the reference tables."""

    def __init__(self, rng):
        aliases = read("district-aliases.csv")
        self.aliases = [(r["alias"], r["district_code"]) for r in aliases]
        codes = sorted({code for _, code in self.aliases})
        communes = {code: [] for code in codes}
        for r in read("communes-legacy.csv"):
            if r["district_code"] in communes:
                communes[r["district_code"]] += [r["name"], r["short_name"]]
        # "commune,district" pairs; each district equally likely, its spellings and communes uniformly.
        self.places = []
        for code in codes:
            spellings = [cell(a) for a, c in self.aliases if c == code]
            towns = [cell(t) for t in communes[code]]
            pairs = [f"{t},{s}" for s in spellings for t in towns]
            blank = [f",{s}" for s in spellings]
            # about 15% of a district's rows leave the commune blank
            self.places += [(p, 0.85 / len(pairs) / len(codes)) for p in pairs]
            self.places += [(p, 0.15 / len(blank) / len(codes)) for p in blank]

        by_type = {}
        for r in read("enterprise-types.csv"):
            by_type.setdefault(r["key"], []).append(r["spelling"])
        self.types = [(cell(s), TYPE_SHARES[k] / len(v)) for k, v in by_type.items() for s in v]

        sectors = []
        for r in read("sectors.csv"):
            sectors += [r["name_vi"], r["name_vi"], r["name_vi"]] + r["aliases"].split(";")
        self.sectors = [(cell(s), 0.9 / len(sectors)) for s in sectors] + [("", 0.1)]

        self.needs = [r["name_vi"] for r in read("needs.csv")]
        if len(self.needs) != len(NEED_SHARES):
            sys.exit(f"generate: needs.csv has {len(self.needs)} needs, the generator knows {len(NEED_SHARES)}")
        # The nine need cells as one string, one entry per combination of marks.
        self.marks = []
        for bits in range(1 << len(self.needs)):
            p, cells = 1.0, []
            for i, share in enumerate(NEED_SHARES):
                on = bits >> i & 1
                p *= share if on else 1 - share
                cells.append("x" if on else "")
            self.marks.append((",".join(cells), p))

        # Employees 1-300, small establishments commoner (weight 1/sqrt(n)).
        self.employees = [(str(n), 1 / math.sqrt(n)) for n in range(1, 301)]

        names = set()
        while len(names) < 6000:
            person = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            trade = rng.choice(TRADES)
            form = rng.random()
            if form < 0.45:
                names.add(f"Cơ sở {trade} {person}")
            elif form < 0.65:
                names.add(f"Xưởng {trade} {person}")
            elif form < 0.8:
                names.add(f"Công ty TNHH {trade.capitalize()} {rng.choice(BRANDS)}")
            elif form < 0.9:
                names.add(f"HTX {trade} {rng.choice(BRANDS)}")
            elif form < 0.97:
                names.add(f"Hộ kinh doanh {person}")
            else:  # a comma inside the name: the cell is quoted
                names.add(f"Công ty CP {rng.choice(BRANDS)}, chi nhánh {rng.choice(GIVEN)}")
        self.names = [cell(n) for n in sorted(names)]

        revenue = []
        for _ in range(3000):
            value = int(rng.lognormvariate(7.5, 1.2)) + 10
            # Vietnamese thousands separator in about half of the cells
            revenue.append(f"{value:,}".replace(",", ".") if rng.random() < 0.5 else str(value))
        self.revenue = revenue + [""] * 600

        day, end = datetime.date(2025, 1, 2), datetime.date(2025, 12, 31)
        self.dates = []
        while day <= end:
            self.dates.append(day.strftime("%d/%m/%Y"))
            day += datetime.timedelta(days=1)


def header(needs):
    return ",".join(cell(h) for h in HEADER_BEFORE_NEEDS + needs + HEADER_AFTER_NEEDS)


def tax_codes(rng):
    """i -> a distinct 10-digit code for every i below 9e9: an affine bijection of Z/9e9."""
    modulus = 9_000_000_000  # 2^9 * 3^2 * 5^9
    while True:
        a = rng.randrange(1_000_000_007, modulus)
        if a % 2 and a % 3 and a % 5:
            break
    b = rng.randrange(modulus)
    return lambda i: (a * i + b) % modulus + 1_000_000_000


def duplicate_every(text):
    """The value of --duplicate-every, as argparse reads it (here and in scripts/benchmark-nightly): 0 for no
    duplicates, or 2 or more (1 would make every row repeat the one before)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value == 1 or value < 0:
        raise argparse.ArgumentTypeError(f"takes 0 (none) or 2 or more, not {text}")
    return value


def duplicates(rows, duplicate_every):
    """How many rows repeat the tax code of the row before (--duplicate-every)."""
    return rows // duplicate_every if duplicate_every >= 2 else 0


def generate(out_dir, rows, seed, duplicate_every=0):
    rng = random.Random(seed)
    pools = Pools(rng)
    data_dir = os.path.join(out_dir, "in")
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, "survey.csv")
    tax = tax_codes(rng)
    if duplicate_every >= 2:
        # Row i (a multiple of K) repeats the code of row i - 1, which is not one: each is one duplicate.
        unique = tax
        tax = lambda i: unique(i - 1 if i % duplicate_every == 0 else i)  # noqa: E731

    uniform = lambda values: [(v, 1.0) for v in values]  # noqa: E731
    names, types, places, sectors, employees, marks, revenue, dates = (
        table(p) for p in (uniform(pools.names), pools.types, pools.places, pools.sectors, pools.employees,
                           pools.marks, uniform(pools.revenue), uniform(pools.dates)))
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(("\ufeff" + header(pools.needs) + "\r\n").encode("utf-8"))
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            numbers = range(start + 1, start + n + 1)
            columns = zip(
                numbers, map(tax, numbers), draw(rng, names, n), draw(rng, types, n), draw(rng, places, n),
                draw(rng, sectors, n), draw(rng, employees, n), draw(rng, marks, n), draw(rng, revenue, n),
                draw(rng, dates, n))
            out.write(b"".join([b"%d,%d,%b,%b,%b,%b,%b,%b,%b,%b\r\n" % row for row in columns]))
    os.replace(tmp, path)

    with open(os.path.join(out_dir, "district-aliases.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("alias,district_code\n")
        for alias, code in pools.aliases:
            f.write(f"{cell(alias)},{code}\n")
    meta = {
        "rows": rows, "seed": seed, "version": VERSION, "reference": reference_digest(),
        "duplicates": duplicates(rows, duplicate_every),
        "bytes": os.path.getsize(path),
        "columns": len(HEADER_BEFORE_NEEDS) + len(pools.needs) + len(HEADER_AFTER_NEEDS),
        "need_headers": pools.needs, "district_header": "Huyện/Thành phố", "employees_header": "Số lao động",
    }
    with open(os.path.join(out_dir, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    return meta


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duplicate-every", type=duplicate_every, default=0)
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows takes 1 or more")
    started = time.perf_counter()
    meta = generate(args.out_dir, args.rows, args.seed, args.duplicate_every)
    print(f"generate: {meta['rows']:,} rows, {meta['bytes'] / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s "
          f"-> {os.path.join(args.out_dir, 'in', 'survey.csv')}", file=sys.stderr)


if __name__ == "__main__":
    main()
