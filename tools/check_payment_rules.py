#!/usr/bin/env python3
"""Check the payment method rule files (rules/payments/) and their catalog strings.

Usage (from the project root):
    python3 tools/check_payment_rules.py [RULES_PAYMENTS_DIR] [--locales DIR] [--vectors CSV]

A data-side check for editing the files by hand, in the format of rules/payments/README.md
(the C++ loader is the authority). Standard library only. It checks:
  * every file is JSON once // comments are stripped (comments inside strings are kept);
  * methods/<id>.json: concern, id = file stem, snake_case, unique; kind from the list;
    countries are two uppercase letters (or exactly ["*"]), currencies three uppercase letters
    (or ["*"]; known to ISO 4217 when the shared currency table is found); channels and devices
    from the lists; channels_excluded only beside "*"; amounts: currency among the currencies,
    integers with 0 <= min <= max, no two entries for one currency and country set, countries
    of an entry among the method's; ranks integers 0..1000, rank market keys country codes where
    the method is offered; source, rank_source, effective_from present; dates valid,
    effective_to after effective_from; only the keys of the format;
  * card_brands.json: brand ids snake_case and unique, patterns a digit prefix or a range of
    equal-length prefixes (low <= high); acceptance lists name known brands, no duplicates;
    mir in no default list; market keys country codes;
  * with the credit-card-type prefix vectors (found in the shared data, or --vectors): BIN
    detection as the README describes gives each vector's brand, ordered candidates or nothing;
  * locales/*.json: valid JSON; payment_method.<id> for every method and payment_reason.<code>
    for every reason in every catalog; each reason has the same placeholders and select keys
    in every language.
Exit status 1 if anything is wrong.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys

KINDS = {"card", "wallet", "bnpl", "bank_redirect", "real_time_payment", "bank_transfer", "voucher",
         "mobile_money"}
CHANNELS = {"instagram", "facebook", "tiktok", "pinterest", "snapchat", "wechat", "douyin", "line",
            "kakaotalk", "whatsapp", "web"}
DEVICES = {"ios", "android", "desktop", "macos"}  # macos: a desktop whose User-Agent says Macintosh
REASONS = ["country_not_supported", "currency_not_supported", "below_minimum", "above_maximum",
           "channel_not_supported", "device_not_supported", "brand_not_accepted", "not_in_force"]
METHOD_KEYS = ({"concern", "id", "kind", "countries", "currencies", "channels", "devices",
                "delayed_capture", "rank", "effective_from", "source", "rank_source"},
               {"amounts", "channels_excluded", "effective_to", "note"})
AMOUNT_KEYS = ({"currency", "min_minor", "max_minor", "source"}, {"countries", "note"})
RANK_KEYS = ({"default"}, {"markets", "channels"})
BRANDS_KEYS = ({"concern", "source", "effective_from", "brands", "acceptance"}, {"note", "local_brands"})
BRAND_KEYS = ({"id", "name", "patterns"}, {"note"})
ACCEPT_KEYS = ({"default", "markets", "source"}, {"note"})
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
PATTERN = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")


def strip_comments(text):
    """Blank // comments outside strings, keeping line numbers."""
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


class Checker:
    def __init__(self):
        self.errors = 0

    def err(self, where, msg):
        self.errors += 1
        print("%s: %s" % (where, msg))

    def keys(self, where, obj, spec):
        if not isinstance(obj, dict):
            self.err(where, "not an object")
            return False
        req, opt = spec
        for k in sorted(req - set(obj)):
            self.err(where, "missing key %r" % k)
        for k in sorted(set(obj) - req - opt):
            self.err(where, "unknown key %r" % k)
        return True

    def date(self, where, value):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.err(where, "bad date %r" % (value,))
            return None

    def code_list(self, where, value, rx, what, known=None):
        if value == ["*"]:
            return "*"
        if not isinstance(value, list) or not value:
            self.err(where, "%s must be a non-empty list or [\"*\"]" % what)
            return set()
        seen = set()
        for v in value:
            if not isinstance(v, str) or not rx.match(v):
                self.err(where, "bad %s code %r" % (what, v))
            elif known is not None and v not in known:
                self.err(where, "%s %s is not an ISO code known here" % (what, v))
            if v in seen:
                self.err(where, "duplicate %s %s" % (what, v))
            seen.add(v)
        return seen

    def enum_list(self, where, value, allowed, what):
        if value == ["*"]:
            return "*"
        if not isinstance(value, list) or not value:
            self.err(where, "%s must be a non-empty list or [\"*\"]" % what)
            return set()
        for v in value:
            if v not in allowed:
                self.err(where, "unknown %s %r" % (what, v))
        if len(set(value)) != len(value):
            self.err(where, "duplicate %s" % what)
        return set(value)

    def rank(self, where, value):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
            self.err(where, "rank %r is not an integer 0..1000" % (value,))


def load(c, path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(strip_comments(f.read()))
    except (OSError, ValueError) as e:
        c.err(path, "cannot load: %s" % e)
        return None


def known_currencies(shared):
    path = os.path.join(shared, "data", "currency", "datasets_currency-codes_codes-all.csv") if shared else ""
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return {r["AlphabeticCode"] for r in csv.DictReader(f) if r.get("AlphabeticCode")}


def check_method(c, path, m, currencies_known):
    stem = os.path.splitext(os.path.basename(path))[0]
    if not c.keys(path, m, METHOD_KEYS):
        return None
    if m.get("concern") != "payment_method":
        c.err(path, "concern must be payment_method")
    mid = m.get("id")
    if mid != stem:
        c.err(path, "id %r is not the file stem %r" % (mid, stem))
    if not isinstance(mid, str) or not SNAKE.match(mid):
        c.err(path, "id %r is not snake_case" % (mid,))
    if m.get("kind") not in KINDS:
        c.err(path, "unknown kind %r" % (m.get("kind"),))
    countries = c.code_list(path, m.get("countries"), COUNTRY, "country")
    currencies = c.code_list(path, m.get("currencies"), CURRENCY, "currency", currencies_known)
    channels = c.enum_list(path, m.get("channels"), CHANNELS, "channel")
    if "channels_excluded" in m:
        if channels != "*":
            c.err(path, "channels_excluded needs channels [\"*\"]")
        excl = m["channels_excluded"]
        if not isinstance(excl, list) or any(x not in CHANNELS for x in excl):
            c.err(path, "bad channels_excluded %r" % (excl,))
    c.enum_list(path, m.get("devices"), DEVICES, "device")
    if not isinstance(m.get("delayed_capture"), bool):
        c.err(path, "delayed_capture must be true or false")
    seen = set()
    for i, a in enumerate(m.get("amounts", [])):
        w = "%s: amounts[%d]" % (path, i)
        if not c.keys(w, a, AMOUNT_KEYS):
            continue
        cur = a.get("currency")
        if currencies != "*" and cur not in currencies:
            c.err(w, "currency %r is not among the method's currencies" % (cur,))
        lo, hi = a.get("min_minor"), a.get("max_minor")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (lo, hi)):
            c.err(w, "min_minor/max_minor must be integers")
        elif not 0 <= lo <= hi:
            c.err(w, "need 0 <= min_minor (%d) <= max_minor (%d)" % (lo, hi))
        ac = a.get("countries")
        key = (cur, None)
        if ac is not None:
            acs = c.code_list(w, ac, COUNTRY, "country")
            if acs == "*":
                c.err(w, "an entry's countries cannot be [\"*\"]")
            elif countries != "*":
                for x in sorted(acs - countries):
                    c.err(w, "country %s is not among the method's countries" % x)
            key = (cur, frozenset(ac))
        if key in seen:
            c.err(w, "second entry for %s and the same countries" % cur)
        seen.add(key)
        if not str(a.get("source", "")).strip():
            c.err(w, "empty source")
    r = m.get("rank")
    if c.keys(path + ": rank", r, RANK_KEYS):
        c.rank(path + ": rank.default", r.get("default"))
        for k, v in (r.get("markets") or {}).items():
            if not COUNTRY.match(k):
                c.err(path, "rank market key %r is not a country code" % k)
            elif countries != "*" and k not in countries:
                c.err(path, "ranked in %s where it is not offered" % k)
            c.rank("%s: rank.markets.%s" % (path, k), v)
        for k, v in (r.get("channels") or {}).items():
            if k not in CHANNELS:
                c.err(path, "rank channel key %r unknown" % k)
            c.rank("%s: rank.channels.%s" % (path, k), v)
    f = c.date(path + ": effective_from", m.get("effective_from"))
    if "effective_to" in m:
        t = c.date(path + ": effective_to", m["effective_to"])
        if f and t and not t > f:
            c.err(path, "effective_to is not after effective_from")
    for k in ("source", "rank_source"):
        if not str(m.get(k, "")).strip():
            c.err(path, "empty %s" % k)
    return mid


def parse_patterns(c, where, patterns):
    out = []
    for p in patterns if isinstance(patterns, list) else []:
        mt = PATTERN.match(p) if isinstance(p, str) else None
        if not mt:
            c.err(where, "bad pattern %r" % (p,))
            continue
        lo, hi = mt.group(1), mt.group(2)
        if hi is not None and (len(lo) != len(hi) or int(lo) > int(hi)):
            c.err(where, "bad range %r (equal lengths, low <= high)" % p)
            continue
        out.append((lo, hi if hi is not None else lo))
    if not out:
        c.err(where, "no patterns")
    return out


def detect(brands, number):
    """BIN detection as README.md describes. brands: [(id, [(lo, hi)])] in file order.
    A brand's match is its first pattern that matches; it is complete when the number is at
    least as long as the pattern. If every candidate's match is complete, the longest wins."""
    cands = []
    for bid, pats in brands:
        for lo, hi in pats:
            n = len(lo)
            if len(number) >= n:
                if int(lo) <= int(number[:n]) <= int(hi):
                    cands.append((bid, n))
                    break
            else:
                k = len(number)
                if int(lo[:k]) <= int(number) <= int(hi[:k]):
                    cands.append((bid, None))
                    break
    if cands and all(s is not None for _, s in cands):
        best = max(s for _, s in cands)
        return [next(b for b, s in cands if s == best)]
    return [b for b, _ in cands]


def check_brands(c, path, doc, vectors):
    if not c.keys(path, doc, BRANDS_KEYS):
        return set()
    if doc.get("concern") != "card_brands":
        c.err(path, "concern must be card_brands")
    c.date(path + ": effective_from", doc.get("effective_from"))
    ids, parsed = [], []
    for i, b in enumerate(doc.get("brands", [])):
        w = "%s: brands[%d]" % (path, i)
        if not c.keys(w, b, BRAND_KEYS):
            continue
        bid = b.get("id")
        if not isinstance(bid, str) or not SNAKE.match(bid):
            c.err(w, "id %r is not snake_case" % (bid,))
        if bid in ids:
            c.err(w, "duplicate brand %r" % bid)
        ids.append(bid)
        parsed.append((bid, parse_patterns(c, w, b.get("patterns"))))
    for i, b in enumerate(doc.get("local_brands", [])):
        w = "%s: local_brands[%d]" % (path, i)
        bid = b.get("id")
        if not isinstance(bid, str) or not SNAKE.match(bid):
            c.err(w, "id %r is not snake_case" % (bid,))
        if bid in ids:
            c.err(w, "duplicate brand %r" % bid)
        ids.append(bid)
        if not b.get("markets") or not all(isinstance(m, str) and COUNTRY.match(m) for m in b["markets"]):
            c.err(w, "markets must list country codes")
        if not b.get("source"):
            c.err(w, "source is required")
        if b.get("patterns"):
            parse_patterns(c, w, b.get("patterns"))
    known = set(ids)
    acc = doc.get("acceptance")
    if c.keys(path + ": acceptance", acc, ACCEPT_KEYS):
        lists = [("default", acc.get("default"))] + list((acc.get("markets") or {}).items())
        for name, lst in lists:
            w = "%s: acceptance.%s" % (path, name)
            if name != "default" and not COUNTRY.match(name):
                c.err(w, "market key is not a country code")
            if not isinstance(lst, list) or not lst:
                c.err(w, "must be a non-empty list")
                continue
            for x in lst:
                if x not in known:
                    c.err(w, "unknown brand %r" % (x,))
            if len(set(lst)) != len(lst):
                c.err(w, "duplicate brand")
        if "mir" in (acc.get("default") or []):
            c.err(path, "mir must not be in the default acceptance")
    if vectors:
        bad = 0
        with open(vectors, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            want = [x.replace("-", "_") for x in r["expected_card_types"].split(";") if x]
            got = detect(parsed, r["input_prefix_or_number"])
            if got != want:
                bad += 1
                c.err(path, "vector line %s: %s -> %s, expected %s" % (
                    r["source_line"], r["input_prefix_or_number"], got, want))
        print("card brand vectors: %d checked, %d wrong" % (len(rows), bad))
    return known


def message_shape(msg):
    """Top-level argument names and, for select/plural arguments, their keys."""
    shape, depth, i, n = {}, 0, 0, len(msg)
    while i < n:
        ch = msg[i]
        if ch == "'" and i + 1 < n and msg[i + 1] in "{}'#|":
            j = msg.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch == "{":
            if depth == 0:
                m = re.match(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*(\w+)\s*(?:,)?)?", msg[i:])
                if m:
                    name, kind = m.group(1), m.group(2)
                    keys = set()
                    if kind in ("select", "plural", "selectordinal"):
                        d, start = 0, i + m.end()
                        k = start
                        while k < n:
                            if msg[k] == "{":
                                if d == 0:
                                    keys.add(msg[start:k].strip())
                                d += 1
                            elif msg[k] == "}":
                                if d == 0:
                                    break
                                d -= 1
                                if d == 0:
                                    start = k + 1
                            k += 1
                    shape[name] = (kind, frozenset(keys))
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    return shape if depth == 0 else None


def check_locales(c, locdir, method_ids):
    files = sorted(f for f in os.listdir(locdir) if f.endswith(".json"))
    shapes = {}
    for fn in files:
        path = os.path.join(locdir, fn)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            c.err(path, "not valid JSON: %s" % e)
            continue
        msgs = doc.get("messages", {})
        for mid in sorted(method_ids):
            v = msgs.get("payment_method." + mid)
            if not isinstance(v, str) or not v.strip():
                c.err(path, "missing payment_method.%s" % mid)
        for code in REASONS:
            key = "payment_reason." + code
            v = msgs.get(key)
            if not isinstance(v, str) or not v.strip():
                c.err(path, "missing %s" % key)
                continue
            if any(ch in v for ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"):
                c.err(path, "%s has manual bidi marks" % key)
            s = message_shape(v)
            if s is None:
                c.err(path, "%s: unbalanced braces" % key)
                continue
            shapes.setdefault(code, {})[fn] = s
    for code, per in shapes.items():
        ref = per.get("en.json") or next(iter(per.values()))
        for fn, s in per.items():
            if s != ref:
                c.err(os.path.join(locdir, fn), "payment_reason.%s placeholders %s differ from en %s" % (
                    code, sorted((k, v[0], sorted(v[1])) for k, v in s.items()),
                    sorted((k, v[0], sorted(v[1])) for k, v in ref.items())))
    return len(files)


def find_shared(root):
    for cand in (os.path.join(root, "..", "shared"), "/work/shared", os.path.join(root, "shared")):
        if os.path.isdir(os.path.join(cand, "data")):
            return cand
    return None


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=os.path.join(root, "rules", "payments"))
    ap.add_argument("--locales", default=os.path.join(root, "locales"))
    ap.add_argument("--vectors", default=None)
    args = ap.parse_args()
    c = Checker()
    shared = find_shared(root)
    vectors = args.vectors
    if vectors is None and shared:
        p = os.path.join(shared, "data", "payments", "braintree_credit-card-type_prefix_vectors.csv")
        vectors = p if os.path.exists(p) else None
    curs = known_currencies(shared)
    mdir = os.path.join(args.dir, "methods")
    ids = set()
    files = sorted(f for f in os.listdir(mdir) if f.endswith(".json"))
    for fn in files:
        path = os.path.join(mdir, fn)
        m = load(c, path)
        if m is None:
            continue
        mid = check_method(c, path, m, curs)
        if mid in ids:
            c.err(path, "duplicate id %r" % mid)
        ids.add(mid)
    bpath = os.path.join(args.dir, "card_brands.json")
    doc = load(c, bpath)
    if doc is not None:
        check_brands(c, bpath, doc, vectors)
    nloc = check_locales(c, args.locales, ids) if os.path.isdir(args.locales) else 0
    print("%d method files, card_brands.json, %d locale files: %d problem(s)" % (len(files), nloc, c.errors))
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
