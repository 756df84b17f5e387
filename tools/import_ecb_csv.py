#!/usr/bin/env python3
"""Write days of ECB euro reference rates in ECB's own eurofxref XML format.

Usage (from the project root):
    python3 tools/import_ecb_csv.py [CSV] [OUT_DIR]
    python3 tools/import_ecb_csv.py --hist HIST_CSV OUT_DIR YYYY-MM-DD [YYYY-MM-DD ...]

The second form takes days from ECB's history CSV (Date,USD,JPY,... one row per business day;
../shared/data/fx/alexprengere_eurofxref-hist.csv is ECB's eurofxref-hist up to 2026-04-13).

CSV is ECB's daily eurofxref.csv ("Date, USD, JPY, ..." then one row of rates); it defaults to
../shared/data/fx/alexprengere_eurofxref.csv (the ECB daily file of 13 April 2026, see
../shared/data/PROVENANCE.md). The rates are copied as the decimal strings ECB published, never
through floating point. The file is written as OUT_DIR/eurofxref-YYYY-MM-DD.xml (default rates/).
Standard library only.
"""
import csv
import datetime
import os
import sys


def write_day(header, values, day, out_dir, what):
    lines = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "
        "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">",
        "\t<gesmes:subject>Reference rates</gesmes:subject>",
        "\t<gesmes:Sender>",
        "\t\t<gesmes:name>European Central Bank</gesmes:name>",
        "\t</gesmes:Sender>",
        "\t<!-- Converted by tools/import_ecb_csv.py from %s;" % what,
        "\t     source: https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/ -->",
        "\t<Cube>",
        "\t\t<Cube time='%s'>" % day,
    ]
    for code, rate in zip(header[1:], values[1:]):
        if code and rate and rate != "N/A":
            lines.append("\t\t\t<Cube currency='%s' rate='%s'/>" % (code, rate))
    lines += ["\t\t</Cube>", "\t</Cube>", "</gesmes:Envelope>", ""]
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "eurofxref-%s.xml" % day)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print(path)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--hist":
        src, out_dir, days = sys.argv[2], sys.argv[3], set(sys.argv[4:])
        with open(src, newline="") as f:
            rows = [[c.strip() for c in r] for r in csv.reader(f) if r]
        header = rows[0]
        found = set()
        for values in rows[1:]:
            if values[0] in days:
                write_day(header, values, values[0], out_dir, "ECB's eurofxref-hist.csv, row %s" % values[0])
                found.add(values[0])
        missing = days - found
        if missing:
            sys.exit("no ECB rates for %s (not a TARGET business day?)" % ", ".join(sorted(missing)))
        return
    src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/fx/alexprengere_eurofxref.csv"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "rates"
    with open(src, newline="") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f) if r]
    header, values = rows[0], rows[1]
    day = datetime.datetime.strptime(values[0], "%d %B %Y").date().isoformat()
    write_day(header, values, day, out_dir, "ECB's daily eurofxref.csv of %s" % day)


if __name__ == "__main__":
    main()
