#!/usr/bin/env python3
"""Check the tax rule files (rules/tax/*.json, rules/tax/regimes/*.json) and the case table.

Usage (from the project root):
    python3 tools/check_tax_rules.py [RULES_TAX_DIR] [--cases tests/tax/jurisdiction_cases.csv]

A data-side check for editing the files by hand, in the format of issue #9 (the C++ loader,
`landed rules check`, is the authority). Standard library only. It checks:
  * JSON with // comment lines; only the keys of the format; required keys present;
  * ids unique across all files; dates valid; effective_to > effective_from; rates and
    amounts are decimal strings; no two periods of the same band (or the same product kind)
    of a tax overlap; every kind maps to "exempt" or to a band that has a rate on its first day;
  * region codes: of the form CC-XXX for the file's country, tax/territory regions listed in
    regions.codes; territory jurisdictions and regime jurisdictions exist as files.
With --cases it also evaluates every row of the case table against the files (a reference
reading of the semantics: territory by longest postcode prefix or region, tax by region, kind
-> band, band -> rate in force on the date) and reports rows whose expected rate differs.
Exit status 1 if anything is wrong.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys
from decimal import Decimal

BANDS = {"standard", "reduced", "reduced2", "super_reduced", "parking", "zero"}
KINDS = {"general", "books", "ebooks", "newspapers", "children_clothing", "food", "medicines",
         "cosmetics", "digital_services"}
DATED = {"id", "source", "effective_from", "effective_to", "note"}
FILE_KEYS = ({"concern", "jurisdiction", "country", "name", "rounding", "taxes"},
             {"vat_area", "note", "regions", "territories"})
ROUNDING_KEYS = ({"mode", "level", "source"}, {"note"})
REGIONS_KEYS = ({"codes", "complete", "source"}, set())
TAX_KEYS = ({"id", "name", "rates"}, {"regions", "shipping", "base", "categories"})
RATE_KEYS = ({"id", "band", "rate", "effective_from", "source"}, {"effective_to", "note"})
CAT_KEYS = ({"id", "category", "band", "effective_from", "source"}, {"effective_to", "note"})
TERR_KEYS = ({"id", "name", "treatment", "effective_from", "source"},
             {"postal_codes", "regions", "jurisdiction", "effective_to", "note"})
REGIME_KEYS = ({"concern", "id", "name", "jurisdictions", "thresholds", "boundary", "value",
                "per", "rate_source", "outcome", "business", "effective_from", "source"},
               {"scheme", "value_factor", "unregistered", "excluded_categories", "effective_to",
                "note"})
THRESHOLD_KEYS = ({"amount", "currency"}, {"origins"})
DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


class Checker:
    def __init__(self):
        self.errors = []
        self.ids = {}

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def keys(self, where, obj, spec):
        required, optional = spec
        if not isinstance(obj, dict):
            self.err(where, "must be an object")
            return False
        for k in sorted(set(obj) - required - optional):
            self.err(where, "unknown key %r" % k)
        for k in sorted(required - set(obj)):
            self.err(where, "missing key %r" % k)
        return True

    def unique(self, where, ident):
        if ident in self.ids:
            self.err(where, "id %r also in %s" % (ident, self.ids[ident]))
        else:
            self.ids[ident] = where

    def date(self, where, obj, key):
        v = obj.get(key)
        if v is None:
            return None
        try:
            if len(v) != 10:
                raise ValueError
            datetime.date.fromisoformat(v)
        except (TypeError, ValueError):
            self.err(where, "%s %r is not YYYY-MM-DD" % (key, v))
            return None
        return v

    def dated(self, where, obj):
        """Common fields of a dated entry; returns (from, to or '9999-12-31')."""
        if "id" in obj:
            self.unique(where, obj["id"])
        if not str(obj.get("source", "")).strip():
            self.err(where, "source is empty")
        a = self.date(where, obj, "effective_from")
        b = self.date(where, obj, "effective_to")
        if a and b and not b > a:
            self.err(where, "effective_to %s is not after effective_from %s" % (b, a))
        return a or "0000-00-00", b or "9999-12-31"

    def decimal(self, where, value, below_one=False):
        if not isinstance(value, str) or not DECIMAL.match(value):
            self.err(where, "%r is not a decimal string" % (value,))
            return None
        d = Decimal(value)
        if below_one and not d < 1:
            self.err(where, "rate %s is not below 1" % value)
        return d


def strip_comments(text):
    # Comment lines are blanked (not removed) so json line numbers still match the file.
    return "\n".join("" if l.lstrip().startswith("//") else l for l in text.split("\n"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(strip_comments(f.read()))


def overlaps(c, where, spans, what):
    spans = sorted(spans)
    for (a, b, i), (c2, d, j) in zip(spans, spans[1:]):
        if c2 < b:
            c.err(where, "%s: %s overlaps %s" % (what, i, j))


def check_jurisdiction(c, path, doc, known):
    stem = os.path.basename(path)[:-5]
    if not c.keys(path, doc, FILE_KEYS):
        return
    if doc.get("concern") != "tax":
        c.err(path, "concern must be \"tax\"")
    if doc.get("jurisdiction") != stem:
        c.err(path, "jurisdiction %r is not the file stem %r" % (doc.get("jurisdiction"), stem))
    country = doc.get("country", "")
    if not COUNTRY.match(country) or not stem.startswith(country):
        c.err(path, "country %r: two capital letters that begin the file stem" % country)
    if "vat_area" in doc and doc["vat_area"] != "EU":
        c.err(path, "vat_area must be \"EU\"")
    r = doc.get("rounding", {})
    if c.keys(path + " rounding", r, ROUNDING_KEYS):
        if r.get("mode") not in ("HalfUp", "HalfEven", "Down", "Up"):
            c.err(path + " rounding", "mode %r" % r.get("mode"))
        if r.get("level") not in ("line", "total"):
            c.err(path + " rounding", "level must be line or total")
    codes = set()
    if "regions" in doc and c.keys(path + " regions", doc["regions"], REGIONS_KEYS):
        codes = set(doc["regions"]["codes"])
        if len(codes) != len(doc["regions"]["codes"]):
            c.err(path, "regions.codes has duplicates")
        for code in sorted(codes):
            if not re.match(r"^%s-[A-Z0-9]{1,3}$" % country, code):
                c.err(path, "region %r is not an ISO 3166-2 code of %s" % (code, country))
        if not isinstance(doc["regions"]["complete"], bool):
            c.err(path, "regions.complete must be true or false")

    def region_list(where, lst):
        for code in lst:
            if code not in codes:
                c.err(where, "region %r not in regions.codes" % code)

    for t in doc.get("taxes", []):
        tw = "%s tax %s" % (path, t.get("id"))
        if not c.keys(tw, t, TAX_KEYS):
            continue
        c.unique(tw, t["id"])
        if not t["id"].startswith(doc.get("jurisdiction", "") + "."):
            c.err(tw, "tax id must start with the jurisdiction and a dot")
        region_list(tw, t.get("regions", []))
        if t.get("shipping", "taxed") not in ("taxed", "not_taxed"):
            c.err(tw, "shipping must be taxed or not_taxed")
        if t.get("base", "price") not in ("price", "gross_up"):
            c.err(tw, "base must be price or gross_up")
        spans = {}
        for e in t["rates"]:
            w = "%s rate %s" % (path, e.get("id"))
            if not c.keys(w, e, RATE_KEYS):
                continue
            if not e["id"].startswith(t["id"] + "."):
                c.err(w, "rate id must start with the tax id")
            if e["band"] not in BANDS:
                c.err(w, "band %r" % e["band"])
            c.decimal(w, e["rate"], below_one=True)
            a, b = c.dated(w, e)
            spans.setdefault(e["band"], []).append((a, b, e["id"]))
        for band, s in spans.items():
            overlaps(c, tw, s, "band " + band)
        if "standard" not in spans:
            c.err(tw, "no standard rate")
        kspans = {}
        for e in t.get("categories", []):
            w = "%s category %s" % (path, e.get("id"))
            if not c.keys(w, e, CAT_KEYS):
                continue
            if not e["id"].startswith(t["id"] + "."):
                c.err(w, "category id must start with the tax id")
            if e["category"] not in KINDS or e["category"] == "general":
                c.err(w, "category %r is not a product kind (general is the default)"
                      % e["category"])
            a, b = c.dated(w, e)
            if e["band"] != "exempt":
                if e["band"] not in BANDS:
                    c.err(w, "band %r" % e["band"])
                elif not any(x <= a < y for x, y, _ in spans.get(e["band"], [])):
                    c.err(w, "band %s has no rate on %s" % (e["band"], a))
                else:
                    # the band must have a rate for the whole period of the mapping
                    day = a
                    while day < b:
                        cover = [y for x, y, _ in spans[e["band"]] if x <= day < y]
                        if not cover:
                            c.err(w, "band %s has no rate on %s" % (e["band"], day))
                            break
                        day = cover[0]
            kspans.setdefault(e["category"], []).append((a, b, e["id"]))
        for kind, s in kspans.items():
            overlaps(c, tw, s, "category " + kind)
    for e in doc.get("territories", []):
        w = "%s territory %s" % (path, e.get("id"))
        if not c.keys(w, e, TERR_KEYS):
            continue
        c.dated(w, e)
        region_list(w, e.get("regions", []))
        if not e.get("postal_codes") and not e.get("regions"):
            c.err(w, "needs postal_codes or regions")
        for p in e.get("postal_codes", []):
            if not re.match(r"^[0-9A-Z]+$", p):
                c.err(w, "postal code prefix %r (no spaces, upper case)" % p)
        if e["treatment"] == "jurisdiction":
            if e.get("jurisdiction") not in known:
                c.err(w, "jurisdiction %r has no file" % e.get("jurisdiction"))
        elif e["treatment"] == "outside_vat_area":
            if "jurisdiction" in e:
                c.err(w, "jurisdiction only with treatment \"jurisdiction\"")
        else:
            c.err(w, "treatment %r" % e["treatment"])


def check_regime(c, path, doc, known):
    if not c.keys(path, doc, REGIME_KEYS):
        return
    if doc["concern"] != "tax_regime":
        c.err(path, "concern must be \"tax_regime\"")
    if os.path.basename(path)[:-5] != doc["id"]:
        c.err(path, "id is not the file stem")
    c.dated(path, doc)
    for j in doc["jurisdictions"]:
        if j not in known:
            c.err(path, "jurisdiction %r has no file" % j)
    if len(set(doc["jurisdictions"])) != len(doc["jurisdictions"]):
        c.err(path, "jurisdictions has duplicates")
    for i, t in enumerate(doc["thresholds"]):
        w = "%s thresholds[%d]" % (path, i)
        if c.keys(w, t, THRESHOLD_KEYS):
            c.decimal(w, t["amount"])
            if not re.match(r"^[A-Z]{3}$", t["currency"]):
                c.err(w, "currency %r" % t["currency"])
            if "origins" not in t and i + 1 != len(doc["thresholds"]):
                c.err(w, "a threshold without origins must be the last")
    enums = {"boundary": ("at_or_below", "below"), "value": ("goods", "goods_and_shipping",
             "tax_amount"), "per": ("consignment", "item"), "rate_source": ("ECB",),
             "outcome": ("seller_return", "not_levied"),
             "business": ("reverse_charge", "importer_accounts")}
    for k, allowed in enums.items():
        if doc[k] not in allowed:
            c.err(path, "%s %r not one of %s" % (k, doc[k], "|".join(allowed)))
    if doc["outcome"] == "seller_return":
        for k in ("scheme", "unregistered"):
            if k not in doc:
                c.err(path, "seller_return regime needs %r" % k)
    elif "unregistered" in doc:
        c.err(path, "unregistered only for seller_return regimes")
    if doc.get("unregistered", "import") not in ("import", "not_levied"):
        c.err(path, "unregistered %r" % doc["unregistered"])
    if "value_factor" in doc:
        c.decimal(path, doc["value_factor"])
    for k in doc.get("excluded_categories", []):
        if k not in KINDS:
            c.err(path, "excluded category %r" % k)


# ---------------------------------------------------------------------------------------------
# Reference evaluation of the case table
# ---------------------------------------------------------------------------------------------
def in_force(entries, day):
    return [e for e in entries
            if e["effective_from"] <= day and (e.get("effective_to") is None
                                               or day < e["effective_to"])]


def resolve(docs, row):
    """Expected value for a case row: rate string, 'exempt' or 'none' (or raises)."""
    jur, region, postal, day = row["jurisdiction"], row["region"], row["postal_code"], row["date"]
    for _ in range(3):  # a territory may point to another file (which may not point again)
        doc = docs[jur]
        pc = postal.replace(" ", "").upper()
        hits = []
        for t in in_force(doc.get("territories", []), day):
            best = max([len(p) for p in t.get("postal_codes", []) if pc and pc.startswith(p)]
                       + [-1])
            if region and region in t.get("regions", []):
                best = max(best, 0)
            if best >= 0:
                hits.append((best, t))
        if not hits:
            break
        hits.sort(key=lambda h: -h[0])
        terr = hits[0][1]
        if terr["treatment"] == "outside_vat_area":
            return "none"
        jur = terr["jurisdiction"]
    doc = docs[jur]
    if doc.get("regions", {}).get("complete") and region not in doc["regions"]["codes"]:
        raise ValueError("%s needs a region from its list, got %r" % (jur, region))
    taxes = {t["id"]: t for t in doc["taxes"]}
    tax = taxes.get(row["tax_id"])
    if tax is None:
        raise ValueError("no tax %s in %s" % (row["tax_id"], jur))
    if "regions" in tax and region not in tax["regions"]:
        return "none"
    kind = row["category"] or "general"
    if kind in BANDS:
        band = kind
    else:
        maps = [m for m in in_force(tax.get("categories", []), day) if m["category"] == kind]
        band = maps[0]["band"] if maps else "standard"
    if band == "exempt":
        return "exempt"
    rates = [r for r in in_force(tax["rates"], day) if r["band"] == band]
    if not rates:
        raise ValueError("no %s rate of %s on %s" % (band, tax["id"], day))
    return rates[0]["rate"]


def same(expected, got):
    if expected in ("none", "exempt") or got in ("none", "exempt"):
        return expected == got
    return Decimal(expected) == Decimal(got)


def check_cases(c, path, docs):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = ["jurisdiction", "region", "postal_code", "date", "category", "tax_id", "rate",
              "note"]
    with open(path, encoding="utf-8") as f:
        if f.readline().strip().split(",") != header:
            c.err(path, "header must be " + ",".join(header))
    for i, row in enumerate(rows, start=2):
        w = "%s:%d" % (path, i)
        if row["jurisdiction"] not in docs:
            c.err(w, "no jurisdiction %r" % row["jurisdiction"])
            continue
        try:
            got = resolve(docs, row)
        except (ValueError, KeyError) as e:
            c.err(w, str(e))
            continue
        if not same(row["rate"], got):
            c.err(w, "expected %s, files give %s" % (row["rate"], got))
    return len(rows)


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tax_dir", nargs="?", default=os.path.join(root, "rules", "tax"))
    ap.add_argument("--cases", help="case table to evaluate (tests/tax/jurisdiction_cases.csv)")
    args = ap.parse_args(argv)
    c = Checker()
    docs, regimes = {}, {}
    for name in sorted(os.listdir(args.tax_dir)):
        if name.endswith(".json"):
            p = os.path.join(args.tax_dir, name)
            try:
                docs[name[:-5]] = (p, load(p))
            except ValueError as e:
                c.err(p, "invalid JSON: %s" % e)
    rdir = os.path.join(args.tax_dir, "regimes")
    if os.path.isdir(rdir):
        for name in sorted(os.listdir(rdir)):
            if name.endswith(".json"):
                p = os.path.join(rdir, name)
                try:
                    regimes[name[:-5]] = (p, load(p))
                except ValueError as e:
                    c.err(p, "invalid JSON: %s" % e)
    for stem, (p, doc) in docs.items():
        check_jurisdiction(c, p, doc, docs)
    for stem, (p, doc) in regimes.items():
        check_regime(c, p, doc, docs)
    n = 0
    if args.cases and not c.errors:
        n = check_cases(c, args.cases, {k: v[1] for k, v in docs.items()})
    for e in c.errors:
        print(e)
    print("check_tax_rules: %d jurisdiction file(s), %d regime file(s), %d id(s), %d case(s), "
          "%d error(s)" % (len(docs), len(regimes), len(c.ids), n, len(c.errors)))
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
