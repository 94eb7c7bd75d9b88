#!/usr/bin/env python3
"""Re-read every ingest fixture from its bytes and compare it with its facts.json.

    python3 Tests/SurveyCoreTests/Fixtures/ingest/check_fixtures.py           check all cases
    python3 Tests/SurveyCoreTests/Fixtures/ingest/check_fixtures.py -v        also print every record
    python3 Tests/SurveyCoreTests/Fixtures/ingest/check_fixtures.py -v FILE   print the records of any CSV file

This reader is written apart from scripts/make-samples on purpose: it sniffs the encoding and the
delimiter, splits records itself (counting physical lines: LF, CRLF once, a lone CR), finds the
header from the form's column names in input/reference/columns.csv and needs.csv, and classifies
the records below it, so a slip in the generator's own bookkeeping shows up here.
"""

import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
REFERENCE = ROOT / "input" / "reference"
TONE_BYTES = {0xCC, 0xEC, 0xD2, 0xDE, 0xF2}  # Windows-1258 combining grave, acute, hook, tilde, dot below


def fold(text):
    """Lower case, no diacritics, đ -> d, bracketed units and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out, depth = [], 0
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(c if c.isalnum() else " ")
    return " ".join("".join(out).split())


def load_headers():
    """fold(header) -> key, for every column and need spelling of the reference tables."""
    import csv
    known = {}
    with open(REFERENCE / "columns.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for spelling in [row["header_vi"], row["header_en"]] + row["aliases"].split(";"):
                if spelling.strip():
                    known[fold(spelling)] = row["key"]
    with open(REFERENCE / "needs.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for spelling in (row["name_vi"], row["name_en"]):
                known[fold(spelling)] = "need_" + row["key"]
    return known


def sniff_encoding(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-bom", data[3:].decode("utf-8")
    if data.startswith(b"\xff\xfe"):
        return "utf-16le", data[2:].decode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return "utf-16be", data[2:].decode("utf-16-be")
    if b"\x00" in data or any(b < 0x09 or 0x0E <= b < 0x20 for b in data[:512] if b != 0x1B):
        return "binary", None
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1258", data.decode("cp1258")


class Unterminated(Exception):
    def __init__(self, line):
        self.line = line


def split_records(text, delim):
    """[(start line, [fields])]; an empty physical line is a record with no fields.
    Strict like libcsv: a quote inside an unquoted field or text after a closing quote is an error."""
    records, fields, field = [], [], []
    line, start, i, n = 1, None, 0, len(text)
    in_quotes = quoted = False
    open_line = None
    while i < n:
        c = text[i]
        if start is None:
            start = line
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 2
                    continue
                in_quotes = False
                if i + 1 < n and text[i + 1] not in (delim, "\r", "\n"):
                    raise ValueError(f"line {line}: text after a closing quote")
            else:
                if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                    field.append("\r\n")
                    line += 1
                    i += 2
                    continue
                if c in "\r\n":
                    line += 1
                field.append(c)
            i += 1
            continue
        if c == '"':
            if field:
                raise ValueError(f"line {line}: a quote inside an unquoted field")
            in_quotes = quoted = True
            open_line = line
        elif c == delim:
            fields.append("".join(field))
            field, quoted = [], False
        elif c in "\r\n":
            if fields or field or quoted:
                fields.append("".join(field))
            records.append((start, fields))
            fields, field, quoted, start = [], [], False, None
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            line += 1
        else:
            field.append(c)
        i += 1
    if in_quotes:
        raise Unterminated(open_line)
    if start is not None:
        fields.append("".join(field))
        records.append((start, fields))
    return records


def sniff_delimiter(text):
    first = text.split("\n", 10)[:10]
    return max(("\t", ";", ","), key=lambda d: sum(line.count(d) for line in first))


def is_blank(fields):
    return all(not f.strip() for f in fields)


def is_totals(fields):
    return any(fold(f) in ("tong cong", "cong") for f in fields[:3])


import re

SIGNATURE_TITLES = {
    "nguoi lap bieu", "thu truong don vi", "nguoi tong hop", "pho chu tich", "prepared by", "approved by",
}
SIGNATURE_TITLE_STARTS = ("tm ", "kt ", "xac nhan cua ")
PLACE_AND_DATE = re.compile(r"^([^0-9]+ )?ngay( [0-9]+)? thang( [0-9]+)? nam [0-9]{4}$|^date [0-9]+ [0-9]+ [0-9]{4}$")


def is_signature_phrase(field):
    """A heading of a signature block: a title, a place-and-date line, a bracketed instruction to sign."""
    text = field.strip()
    folded = fold(text.strip("()"))
    if text.startswith("(") and text.endswith(")"):
        words = folded.split()
        return "ky" in words or "signature" in words
    return folded in SIGNATURE_TITLES or folded.startswith(SIGNATURE_TITLE_STARTS) or bool(PLACE_AND_DATE.match(folded))


def is_signature_heading(fields):
    filled = [f for f in fields if f.strip()]
    return 0 < len(filled) <= 4 and all(is_signature_phrase(f) for f in filled)


def is_signer_names(fields, answer_columns):
    """One or two people's names (capitalised words of letters), none in the district, type or needs."""
    filled = [(i, unicodedata.normalize("NFC", f.strip())) for i, f in enumerate(fields) if f.strip()]
    return 0 < len(filled) <= 2 and all(
        i not in answer_columns and 2 <= len(f.split()) <= 5 and all(w[0].isupper() and w.isalpha() for w in f.split())
        for i, f in filled)


def signature_statuses(statuses, records, answer_columns):
    """The statuses with the signature block's rows marked: every row of headings, and the signers' names below a
    heading when nothing but blank rows, headings and names follows them to the end of the file."""
    out = list(statuses)
    for i, (_, fields) in enumerate(records):
        if out[i] == "passed" and is_signature_heading(fields):
            out[i] = "signature"
    trailing = len(out)
    while trailing > 0 and (out[trailing - 1] in ("blank", "signature")
                            or is_signer_names(records[trailing - 1][1], answer_columns)):
        trailing -= 1
    in_block = False
    for i in range(trailing, len(out)):
        in_block = in_block or out[i] == "signature"
        if in_block and out[i] == "passed":
            out[i] = "signature"
    return out


def read(path, known):
    """What a correct reader finds in the file, in the shape of facts.json."""
    data = path.read_bytes()
    if not data:
        return dict(status="empty", set_aside=False, encoding=None, delimiter=None, header_line=None, rows=[])
    encoding, text = sniff_encoding(data)
    if encoding == "binary":
        return dict(status="set_aside", set_aside=True, problem="binary", encoding=None, delimiter=None,
                    header_line=None, error_line=1)
    delim = sniff_delimiter(text)
    out = dict(encoding=encoding, delimiter=delim)
    try:
        records = split_records(text, delim)
    except Unterminated as e:
        header = next(line for line, f in split_records(text[:text.index('"')], delim) if f)
        return dict(out, status="set_aside", set_aside=True, problem="unterminated_quote", header_line=header,
                    error_line=e.line)
    header_at = None
    for i, (line, fields) in enumerate(records[:15]):
        if sum(fold(f) in known for f in fields if f.strip()) >= 3:
            header_at = i
            break
    assert header_at is not None, f"{path}: no header"
    labels = [f.strip() for f in records[header_at][1]]
    if header_at + 1 < len(records):  # a second header row of need names under merged cells
        below = records[header_at + 1][1]
        if sum(known.get(fold(f), "").startswith("need_") for f in below) >= 3:
            header_at += 1
            # A cell below is the column's name, but a unit in brackets below a heading ("(người)") adds to it.
            labels = [(t + " " + b.strip() if t and b.strip().startswith("(") else b.strip()) or t
                      for t, b in zip(labels + [""] * len(below), below)]
    header_line = records[header_at][0]
    mapping = {}
    unknown = []
    for i, label in enumerate(labels):
        key = known.get(fold(label))
        if key:
            mapping.setdefault(key, i)
        elif label:
            unknown.append(unicodedata.normalize("NFC", label))
    if "name" not in mapping:
        return dict(out, status="set_aside", set_aside=True, problem="missing_column", missing_column="name",
                    header_line=header_line, error_line=header_line)

    def cell(fields, key):
        i = mapping[key]
        return unicodedata.normalize("NFC", fields[i].strip()) if i < len(fields) else ""

    rows = []
    body = records[header_at + 1:]
    statuses = ["blank" if is_blank(fields) else "totals" if is_totals(fields) else "passed" for _, fields in body]
    answer_columns = {i for key, i in mapping.items() if key in ("district", "enterprise_type") or key.startswith("need")}
    statuses = signature_statuses(statuses, body, answer_columns)
    for (line, fields), status in zip(body, statuses):
        rows.append(dict(line=line, status=status, name=cell(fields, "name"), district=cell(fields, "district"),
                         employees=cell(fields, "employees"), fields=fields))
    return dict(out, status="ingested", set_aside=False, header_line=header_line, unknown_columns=unknown,
                rows=rows)


def layout_checks(case, data, facts):
    """Byte-level promises each case makes (the thing it is there to test)."""
    problems = []

    def need(cond, what):
        if not cond:
            problems.append(what)
    eol = facts.get("line_ends")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if eol == "crlf" and facts["encoding"] in ("utf-8", "utf-8-bom", "windows-1258"):
        need(body.replace(b"\r\n", b"").count(b"\r") == 0, "a lone CR in a CRLF file")
    if eol == "lf":
        need(b"\r" not in body, "a CR in an LF file")
    if eol == "cr":
        need(b"\n" not in body and b"\r" in body, "not CR-only")
    if case == "windows-1258-combining":
        need(any(b in TONE_BYTES for b in data), "no combining tone byte")
        toned = {b for b in range(0x80, 0x100) if b not in TONE_BYTES and any(
            c in "\u0300\u0301\u0303\u0309\u0323"
            for c in unicodedata.normalize("NFD", bytes([b]).decode("cp1258", errors="ignore")))}
        need(not any(b in toned for b in data), "a precomposed letter with a tone mark")
        try:
            data.decode("utf-8")
            problems.append("decodes as UTF-8")
        except UnicodeDecodeError:
            pass
    if case == "nfd-text":
        text = data.decode("utf-8")
        need(unicodedata.normalize("NFD", text) == text and unicodedata.normalize("NFC", text) != text, "not NFD")
    if case == "no-final-newline":
        need(not data.endswith((b"\n", b"\r")), "ends with a line end")
    if case == "empty":
        need(data == b"", "not empty")
    if case == "binary":
        need(data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG")
    return problems


def compare(case, facts, found):
    problems = []
    keys = ["status", "set_aside", "encoding", "delimiter", "header_line", "error_line", "problem",
            "missing_column", "unknown_columns"]
    for key in keys:
        if key in facts or key in found:
            if facts.get(key) != found.get(key):
                problems.append(f"{key}: facts {facts.get(key)!r}, read {found.get(key)!r}")
    if found.get("status") in ("ingested", "empty"):
        rows = found["rows"]
        counted = dict(rows_read=len(rows), rows_passed=sum(r["status"] == "passed" for r in rows),
                       rows_skipped_blank=sum(r["status"] == "blank" for r in rows),
                       rows_skipped_totals=sum(r["status"] == "totals" for r in rows), rows_rejected=0)
        signature = sum(r["status"] == "signature" for r in rows)
        if signature or "rows_skipped_signature" in facts:
            counted["rows_skipped_signature"] = signature
        for key, value in counted.items():
            if facts.get(key) != value:
                problems.append(f"{key}: facts {facts.get(key)!r}, read {value!r}")
        want = facts.get("rows", [])
        if len(want) != len(rows):
            problems.append(f"rows: facts list {len(want)}, read {len(rows)}")
        for w, r in zip(want, rows):
            for key in ("line", "status", "name", "district", "employees"):
                if w.get(key) != r[key]:
                    problems.append(f"record at line {r['line']}: {key}: facts {w.get(key)!r}, read {r[key]!r}")
    return problems


def show(found):
    print(f"  encoding={found.get('encoding')} delimiter={found.get('delimiter')!r} "
          f"header_line={found.get('header_line')} status={found.get('status')} "
          f"unknown={found.get('unknown_columns')} error_line={found.get('error_line')}")
    for r in found.get("rows", []):
        print(f"  {r['line']:>4} {r['status']:<7} {r['name']!r:.60} | {r['district']!r} | {r['employees']!r}"
              f" | {len(r['fields'])} fields")


def main(argv):
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    known = load_headers()
    if paths:
        for p in paths:
            print(p)
            show(read(Path(p), known))
        return 0
    failed = 0
    cases = sorted(d for d in HERE.iterdir() if d.is_dir())
    for d in cases:
        facts = json.loads((d / "facts.json").read_text(encoding="utf-8"))
        data = (d / "input.csv").read_bytes()
        found = read(d / "input.csv", known)
        problems = compare(d.name, facts, found) + layout_checks(d.name, data, facts)
        print(f"{'ok  ' if not problems else 'FAIL'} {d.name}")
        if verbose:
            show(found)
        for p in problems:
            print(f"     {p}")
        failed += bool(problems)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
