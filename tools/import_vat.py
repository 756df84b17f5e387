#!/usr/bin/env python3
"""Generate Landed VAT rule files (rules/tax/<CC>.json, concern "tax") from the reference datasets.

Usage (from the project root):
    python3 tools/import_vat.py [DATA_DIR] [OUT_DIR] [--check-date YYYY-MM-DD]

DATA_DIR defaults to ../shared/data/vat (relative to the project root), OUT_DIR to
rules/tax. Standard library only. The output is deterministic: the same inputs give
byte-identical files.

Where the figures come from:
  * EU-27 + GB: periods from ibericode/vat-rates. Where ibericode's first period starts at
    "0000-01-01" (unknown), the start date of the matching standard rate is taken from
    kdeldycke/vat-rates. Rates that are newer than ibericode's file (2025-08-12) or missing
    from it come from vatnode (EC TEDB snapshot 2026-08-19), with the start date recorded in
    EXTRA_PERIODS below together with where that date comes from.
  * NO, CH: periods written out in MANUAL_PERIODS below (vatnode gives the current rates,
    kdeldycke/valeriansaliou the CH standard history); the script checks them against the
    datasets.
  * Zero bands (ZERO_BANDS) and product kinds -> band (KIND_MAP, issue #9 item 2) are written
    out below with their sources; a kind without a mapping falls to the standard rate.
    Mappings known only from model knowledge say "unverified (model knowledge)" in their note.
The script then cross-checks the rates in force on --check-date against vatnode, the
standard-rate list in shared/design/DOMAIN.md and the valeriansaliou change dates, and prints
every difference. Known, explained differences are listed in EXPLAINED; any other difference
makes the script exit with status 1 (the files are still written).
"""

import argparse
import csv
import datetime
import json
import os
import sys
from decimal import Decimal

# ---------------------------------------------------------------------------------------------
# Datasets (file name in DATA_DIR -> upstream repository and commit, from PROVENANCE.md)
# ---------------------------------------------------------------------------------------------
DATASETS = {
    "ibericode": ("ibericode_vat-rates.json", "ibericode/vat-rates",
                  "5abb1e1be91faa42d21c743c603a0aec9b5bab70", "vat-rates.json"),
    "kdeldycke": ("kdeldycke_vat_rates.csv", "kdeldycke/vat-rates",
                  "7585c283692045c413b6a93ed537a9cc3b5504a5", "vat_rates.csv"),
    "vatnode": ("vatnode_eu_vat_rates_data.json", "vatnode/eu-vat-rates-data-python",
                "ebf8854b37d2abf7e071e9a8336e73fa4ad16217", "eu_vat_rates_data.json"),
    "valeriansaliou": ("valeriansaliou_sales_tax_rates.json", "valeriansaliou/node-sales-tax",
                       "4a47f6834314f9dc5c9c2249b6ccc39cd1079be7", "sales_tax_rates.json"),
}
IBERICODE_FILE_DATE = "2025-08-12"  # last change of ibericode's vat-rates.json (PROVENANCE.md)


def ds_ref(key):
    """Short dataset reference, e.g. 'ibericode/vat-rates@5abb1e1b'."""
    _, repo, commit, _ = DATASETS[key]
    return "%s@%s" % (repo, commit[:8])


EU = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
      "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
COUNTRIES = sorted(EU + ["GB", "NO", "CH"])
BANDS = ["standard", "reduced", "reduced2", "super_reduced", "parking"]

TEDB = "https://ec.europa.eu/taxation_customs/tedb/"
VAT_DIRECTIVE = "https://eur-lex.europa.eu/eli/dir/2006/112/oj"
OFFICIAL = {cc: TEDB for cc in EU}
OFFICIAL["GB"] = "https://www.gov.uk/guidance/rates-of-vat-on-different-goods-and-services"
OFFICIAL["NO"] = "https://www.skatteetaten.no/en/rates/value-added-tax/"
OFFICIAL["CH"] = ("https://www.estv.admin.ch/estv/en/home/value-added-tax/"
                  "vat-rates-switzerland.html")

TAX_NAME_OVERRIDE = {"GB": "VAT", "NO": "MVA", "CH": "MWST"}

ROUNDING_NOTE = "Commercial rounding per line assumed; verify national practice."
ROUNDING = {cc: (VAT_DIRECTIVE, ROUNDING_NOTE) for cc in EU}
ROUNDING["GB"] = ("https://www.gov.uk/guidance/vat-guide-notice-700",
                  "HMRC Notice 700 lets VAT be worked out per line and rounded to the nearest "
                  "penny; commercial rounding per line assumed; verify.")
ROUNDING["NO"] = (OFFICIAL["NO"], "No official page on rounding checked; commercial rounding "
                  "per line assumed; verify national practice.")
ROUNDING["CH"] = (OFFICIAL["CH"], "No official page on rounding checked; commercial rounding "
                  "per line assumed; verify national practice.")

# ---------------------------------------------------------------------------------------------
# Periods the datasets do not give in a usable form. Rates are percentages as strings.
# "reduced" lists every reduced rate of the period; the highest becomes band "reduced",
# the next "reduced2". A period repeats every rate in force, changed or not.
# ---------------------------------------------------------------------------------------------
EXTRA_PERIODS = {
    # vatnode (2026-08-19) is newer than ibericode (2025-08-12) or has rates ibericode lacks.
    "AT": [{
        "effective_from": "2026-07-01",
        "rates": {"standard": "20", "reduced": ["13", "10"], "super_reduced": "4.9",
                  "parking": "13"},
        "datasets": ["vatnode"],
        "notes": {"super_reduced": "4.9 % on selected basic foods (milk, bread, eggs, some "
                  "fruit and vegetables...): rate from vatnode/TEDB; start 2026-07-01 as "
                  "reported when the cut was enacted (not in the datasets); verify with BMF."},
    }],
    "CY": [{
        "effective_from": "2023-07-21",
        "rates": {"standard": "19", "reduced": ["9", "5"], "super_reduced": "3"},
        "datasets": ["vatnode"],
        "notes": {"super_reduced": "3 % (books, press, disability aids...): rate from "
                  "vatnode/TEDB, missing in ibericode; start = publication of the amending "
                  "law in the Official Gazette, 2023-07-21, as reported (some reports say "
                  "2023-07-23); not in the datasets; verify."},
    }],
    "FI": [{
        "effective_from": "2026-01-01",
        "rates": {"standard": "25.5", "reduced": ["13.5", "10"]},
        "datasets": ["vatnode"],
        "notes": {"reduced": "14 % -> 13.5 % (food, restaurants, medicines, transport, "
                  "accommodation, books...): rate from vatnode/TEDB; start 2026-01-01 as "
                  "reported for the 2026 budget law (not in the datasets); verify with vero.fi."},
    }],
    "LT": [{
        "effective_from": "2026-01-01",
        "rates": {"standard": "21", "reduced": ["12", "5"]},
        "datasets": ["vatnode"],
        "notes": {"reduced": "9 % rate abolished; 12 % for accommodation, passenger transport, "
                  "cultural admissions (books moved to 5 %, heating to 21 %): rate from "
                  "vatnode/TEDB; start 2026-01-01 per Law XV-287 as reported (not in the "
                  "datasets); verify with VMI."},
    }],
    "MT": [{
        "effective_from": "2024-01-01",
        "rates": {"standard": "18", "reduced": ["7", "5"], "parking": "12"},
        "datasets": ["vatnode"],
        "notes": {"parking": "12 % (custody of securities, credit management, short pleasure-"
                  "boat hire, some regulated body-care services): vatnode/TEDB lists it as the "
                  "parking rate, ibericode lacks it; start 2024-01-01 per Legal Notice "
                  "231/2023 as reported (not in the datasets); verify."},
    }],
}

MANUAL_PERIODS = {
    "NO": [
        {"effective_from": "2005-01-01", "rates": {"standard": "25"}, "datasets": ["vatnode"],
         "notes": {"standard": "25 % since 2005-01-01 (was 24 %) per the 2005 state budget "
                   "(statsbudsjettet.no); the datasets only show 25 % from 2011-07-01 "
                   "(kdeldycke, digital services) and as current rate (vatnode)."}},
        {"effective_from": "2012-01-01", "rates": {"standard": "25", "reduced": ["15"]},
         "datasets": ["vatnode"],
         "notes": {"reduced": "15 % food and non-alcoholic drinks. Skatteetaten lists 15 % for "
                   "2012 (14 % before); start 2012-01-01 assumed, not in the datasets."}},
        {"effective_from": "2021-10-01", "rates": {"standard": "25", "reduced": ["15", "12"]},
         "datasets": ["vatnode"],
         "notes": {"reduced2": "12 % passenger transport, accommodation, cinema, museums, "
                   "sports events, broadcasting. Back to 12 % on 2021-10-01 after the COVID "
                   "6 % rate (2020-04-01 to 2021-09-30); earlier low-rate history (8/10/12 %) "
                   "not modelled; dates not in the datasets."}},
    ],
    "CH": [
        {"effective_from": "2018-01-01",
         "rates": {"standard": "7.7", "reduced": ["3.7", "2.5"]},
         "datasets": ["kdeldycke", "valeriansaliou"],
         "notes": {"standard": "7.7 % from 2018-01-01 (kdeldycke); 8 % before, not modelled.",
                   "reduced": "3.7 % special rate for accommodation services (ESTV rate "
                   "history; not in the datasets).",
                   "reduced2": "2.5 % reduced rate: food, non-alcoholic drinks, books, "
                   "newspapers, medicines (ESTV rate history; not in the datasets). In force "
                   "since 2011; earlier periods not modelled."}},
        {"effective_from": "2024-01-01",
         "rates": {"standard": "8.1", "reduced": ["3.8", "2.6"]},
         "datasets": ["vatnode", "kdeldycke", "valeriansaliou"],
         "notes": {"standard": "8.1 % since 2024-01-01 (kdeldycke, valeriansaliou, vatnode).",
                   "reduced": "3.8 % special rate for accommodation services (vatnode; start "
                   "date per ESTV).",
                   "reduced2": "2.6 % reduced rate: food, non-alcoholic drinks, books, "
                   "newspapers, medicines (vatnode; start date per ESTV)."}},
    ],
}

# ---------------------------------------------------------------------------------------------
# Zero bands and product kinds (issue #9: items name kinds of product, each jurisdiction maps a
# kind to one of its bands, "exempt" included). Research: /work/notes/tax-research.md section 5.
# A kind with no mapping in force falls to the standard rate, so only what a source says is
# treated differently is mapped. Cells the research has only from model knowledge are mapped
# with the note UNVERIFIED; "varies" cells pick the default named in the note.
# ---------------------------------------------------------------------------------------------
TEDB_M = ("https://ec.europa.eu/taxation_customs/tedb/ (this mapping was not checked there)")
UNVERIFIED = "unverified (model knowledge)."
SRC = {
    "UK": ("https://www.gov.uk/guidance/rates-of-vat-on-different-goods-and-services; secondary: "
           "mobilexpense.com/en/compliance-centre/vat-rates-uk (quotes GOV.UK), "
           "ifs-london.com/vat-rates"),
    "IT": ("DPR 633/1972, Tabella A; secondary: vat-digital.com/italian-vat-rates-2, "
           "rydoo.com/compliance/italy/italy-vat-rates"),
    "HR": ("Zakon o PDV-u (Croatian VAT Act) art. 38; secondary: "
           "thevatman.eu/vat-by-country/croatia, iusinfo.hr/aktualno/izbor-dana/27385, "
           "crowe.com/hr/en-us/news/croatia-to-cut-vat-rates"),
    "FI": ("Arvonlisäverolaki 1501/1993 s. 85 (vero.fi); secondary: "
           "vatcalc.com/finland/finland-cuts-reduced-vat-to-13-5-jan-2026, "
           "marosavat.com/vat-news/finland-vat-rate-changes"),
    "SE": "https://www.skatteverket.se (not checked); secondary: avalara.com swedish-vat-rates",
    "SK": ("Slovak VAT Act 222/2004 as amended for 2025 (financnasprava.sk, not checked); "
           "secondary: crowe.com/sk, krgroup.eu, marosavat.com/manual-vat/slovakia"),
    "EE": ("Estonian VAT Act s. 15 (emta.ee, not checked); secondary: "
           "marosavat.com/manual-vat/estonia"),
    "LT": ("Lithuanian VAT Law art. 19 as amended by Law XV-287; secondary: "
           "sovos.com/regulatory-updates/vat/lithuania-removes-9-reduced-vat-rate, vatapi.com"),
    "RO": ("Law 141/2025 (Monitorul Oficial 699 of 2025-07-25); secondary: vatabout.com (RO), "
           "marosavat.com/vat-news/romanian-vat-rate-changes"),
    "EU3": ("https://ec.europa.eu/taxation_customs/tedb/; secondary (undated third-party "
            "tables): fruugo.atlassian.net EU VAT wiki, crossbordervat.com/blog/eu-countries"),
    "NO": ("https://www.toll.no/en/online-shopping/the-voec-scheme (\"Goods that are VAT "
           "exempt (newspapers, magazines, books, etc.)\"), "
           "https://www.skatteetaten.no/en/rates/value-added-tax/"),
    "CH": ("https://www.estv.admin.ch/estv/en/home/value-added-tax/vat-rates-switzerland.html; "
           "secondary: https://www.ch.ch/en/ordering-goods-abroad"),
    "M": TEDB_M,
}

# Zero band per country: (effective_from, source key, note).
ZERO_BANDS = {
    "GB": ("2011-01-04", "UK", "Zero rate (books, e-books, newspapers, most food, young "
           "children's clothing and footwear...). It exists since VAT began (1973); dated here "
           "to the start of the modelled history."),
    "IE": ("2012-01-01", "EU3", "Zero rate (most food, books, children's clothing, oral "
           "medicines). Older than the modelled history; dated to its start."),
    "DK": ("1992-01-01", "EU3", "Zero rate for newspapers. Dated to the start of the modelled "
           "history."),
    "NO": ("2005-01-01", "NO", "Zero rate (fritatt: books, newspapers). Older than the modelled "
           "history (since 1970); dated to its start."),
}

# Kind mappings: cc -> [(kind, band, effective_from, effective_to, source key, note)].
# A later row for the same kind must start where the previous one ends.
KIND_MAP = {
    "GB": [
        ("books", "zero", "2011-01-04", None, "UK", "Printed books zero-rated (Notice 701/10)."),
        ("ebooks", "zero", "2020-05-01", None, "UK", "E-books and e-publications zero-rated "
         "since 2020-05-01 (date: model knowledge, unverified); the source says \"including "
         "e-books\"."),
        ("newspapers", "zero", "2011-01-04", None, "UK", "Newspapers zero-rated."),
        ("children_clothing", "zero", "2011-01-04", None, "UK", "Young children's clothing and "
         "footwear zero-rated (sized for children; adult sizes are standard)."),
        ("food", "zero", "2011-01-04", None, "UK", "Most food zero-rated; catering, hot food, "
         "confectionery, crisps, soft drinks and alcohol are standard: use the band "
         "override \"standard\" for those."),
    ],
    "IT": [
        ("books", "super_reduced", "2013-10-01", None, "IT", "Books 4 % (Tabella A part II)."),
        ("ebooks", "super_reduced", "2016-01-01", None, "IT", "E-books with ISBN 4 % (since "
         "2016-01-01: date model knowledge, unverified)."),
        ("newspapers", "super_reduced", "2013-10-01", None, "IT", "Newspapers and periodicals "
         "4 %."),
        ("food", "reduced", "2013-10-01", None, "IT", "Food varies (4 % basic: bread, milk, "
         "fruit, vegetables; 5 % some; 10 % most other foods): default 10 % "
         "unverified (model knowledge); use a band override for 4 % foods."),
        ("medicines", "reduced", "2013-10-01", None, "IT", "Medicines 10 %."),
    ],
    "HR": [
        ("books", "reduced2", "2013-01-01", None, "HR", "Books 5 % (all books since 2013: "
         "model knowledge, unverified; source names professional, scientific, artistic, "
         "educational books)."),
        ("newspapers", "reduced2", "2013-01-01", None, "HR", "Daily newspapers of publishers "
         "under the media statute 5 %; other periodicals may be 13 %. Start 2013 unverified."),
        ("food", "reduced2", "2023-04-01", None, "HR", "5 % for bread, milk, infant food, and "
         "since 2023-04-01 meat, fish, fruit, vegetables, eggs, oils (cut 13 -> 5; date model "
         "knowledge, unverified); other food 13 % or 25 %: use a band override."),
        ("medicines", "reduced2", "2013-01-01", None, "HR", "Prescription medicines (HALMED-"
         "approved) 5 %; others 25 %. Start 2013 unverified."),
    ],
    "FI": [
        ("books", "reduced2", "2013-01-01", "2025-01-01", "FI", "Books 10 % until 2024-12-31."),
        ("books", "reduced", "2025-01-01", None, "FI", "Books 10 -> 14 % on 2025-01-01, then "
         "13.5 % (reduced band) from 2026-01-01."),
        ("ebooks", "reduced2", "2019-07-01", "2025-01-01", "FI", "E-books taxed like printed "
         "books since 2019-07-01 (date model knowledge, unverified)."),
        ("ebooks", "reduced", "2025-01-01", None, "FI", "Printed and electronic books 14 % in "
         "2025, 13.5 % from 2026-01-01."),
        ("medicines", "reduced2", "2013-01-01", "2025-01-01", "FI", "Medicines 10 % until "
         "2024-12-31."),
        ("medicines", "reduced", "2025-01-01", None, "FI", "Medicines 10 -> 14 % on 2025-01-01, "
         "13.5 % from 2026-01-01."),
        ("food", "reduced", "2013-01-01", None, "FI", "Food 14 %, 13.5 % from 2026-01-01."),
        ("newspapers", "reduced2", "2013-01-01", None, "FI", "Newspapers and periodicals 10 %."),
    ],
    "SK": [
        ("books", "reduced", "2004-01-01", "2025-01-01", "SK", "Books 10 % until 2024-12-31 "
         "(start not researched)."),
        ("books", "reduced2", "2025-01-01", None, "SK", "Printed books (< 50 % advertising) "
         "5 % from 2025-01-01 (three sources); conflict: asd-int.com says 23 %."),
        ("medicines", "reduced", "2004-01-01", "2025-01-01", "SK", "Medicines 10 % until "
         "2024-12-31 (start not researched)."),
        ("medicines", "reduced2", "2025-01-01", None, "SK", "Medicines and medical devices 5 % "
         "from 2025-01-01."),
        ("food", "reduced", "2025-01-01", None, "SK", "Food varies: basic foods 5 %, other "
         "food 19 % from 2025-01-01; default 19 % (other food); use the band override "
         "\"reduced2\" for basic foods. Before 2025 unmapped (other food was standard 20 %)."),
        ("newspapers", "reduced2", "2025-01-01", None, "SK", "Newspapers and periodicals 5 % "
         "from 2025-01-01."),
    ],
    "EE": [
        ("books", "reduced", "2009-07-01", "2025-01-01", "EE", "Books 9 % (the 9 % rate was "
         "band reduced until 2024-12-31; start not researched)."),
        ("books", "reduced2", "2025-01-01", None, "EE", "Books 9 % (band reduced2 from "
         "2025-01-01, when 13 % became the higher reduced rate)."),
        ("medicines", "reduced", "2009-07-01", "2025-01-01", "EE", "Medicines 9 % (some); "
         "start not researched."),
        ("medicines", "reduced2", "2025-01-01", None, "EE", "Medicines 9 % (some)."),
        ("newspapers", "reduced2", "2024-01-01", None, "EE", "Press publications 5 % in 2024, "
         "9 % from 2025-01-01 (ibericode key press_publications)."),
    ],
    "LT": [
        ("books", "reduced", "2009-09-01", "2026-01-01", "LT", "Books 9 % until 2025-12-31 "
         "(start not researched)."),
        ("books", "reduced2", "2026-01-01", None, "LT", "Printed and electronic books 5 % from "
         "2026-01-01."),
        ("ebooks", "reduced", "2009-09-01", "2026-01-01", "LT", "E-books 9 % until 2025-12-31 "
         "(start not researched; model knowledge, unverified)."),
        ("ebooks", "reduced2", "2026-01-01", None, "LT", "Printed and electronic books 5 % from "
         "2026-01-01."),
        ("medicines", "reduced2", "2026-01-01", None, "LT", "Medicines 5 % (per vatapi.com; "
         "model knowledge: reimbursable medicines only, unverified)."),
    ],
    "RO": [
        ("books", "reduced2", "2017-01-01", "2025-08-01", "M", "Books 5 % before 2025-08-01: "
         "unverified (model knowledge); start not researched."),
        ("books", "reduced", "2025-08-01", None, "RO", "Books 11 % from 2025-08-01."),
        ("newspapers", "reduced2", "2017-01-01", "2025-08-01", "M", "Newspapers 5 % before "
         "2025-08-01: unverified (model knowledge)."),
        ("newspapers", "reduced", "2025-08-01", None, "RO", "Newspapers 11 % from 2025-08-01."),
        ("food", "reduced", "2017-01-01", None, "RO", "Most food 9 % until 2025-07-31 "
         "(unverified, model knowledge), 11 % from 2025-08-01 (food supplements 21 %: use "
         "the band override \"standard\")."),
        ("medicines", "reduced", "2017-01-01", None, "RO", "Medicines 9 % until 2025-07-31 "
         "(unverified, model knowledge), 11 % from 2025-08-01."),
    ],
    "DE": [
        ("books", "reduced", "2007-01-01", None, "EU3", "Books 7 % (5 % in 2020-H2)."),
        ("ebooks", "reduced", "2019-12-18", None, "M", "E-books 7 % since 2019-12-18: "
         + UNVERIFIED),
        ("newspapers", "reduced", "2007-01-01", None, "EU3", "Newspapers 7 %."),
        ("food", "reduced", "2007-01-01", None, "EU3", "Most food 7 % (beverages and "
         "restaurant meals 19 %)."),
    ],
    "FR": [
        ("books", "reduced2", "2014-01-01", None, "EU3", "Books 5.5 %; history before 2014 "
         "not mapped."),
        ("ebooks", "reduced2", "2014-01-01", None, "M", "E-books 5.5 %: " + UNVERIFIED),
        ("newspapers", "super_reduced", "2014-01-01", None, "EU3", "Press publications 2.1 %."),
        ("food", "reduced2", "2014-01-01", None, "EU3", "Most food 5.5 % (some 10 %)."),
        ("medicines", "reduced", "2014-01-01", None, "EU3", "Medicines vary: 2.1 % reimbursable, "
         "10 % others; default 10 % (non-reimbursable, as sold online); use the band override "
         "\"super_reduced\" for reimbursable ones."),
    ],
    "AT": [
        ("books", "reduced2", "2016-01-01", None, "EU3", "Printed books 10 %; history before "
         "2016 not mapped."),
        ("ebooks", "reduced2", "2020-01-01", None, "M", "E-books 10 % since 2020-01-01: "
         + UNVERIFIED),
        ("newspapers", "reduced2", "2016-01-01", None, "EU3", "Newspapers 10 %."),
        ("food", "reduced2", "2016-01-01", None, "EU3", "Food 10 %; from 2026-07-01 selected "
         "basic foods 4.9 % (scope unverified): use the band override \"super_reduced\"."),
        ("medicines", "reduced2", "2016-01-01", None, "EU3", "Medicines 10 %."),
    ],
    "BE": [
        ("books", "reduced2", "1996-01-01", None, "EU3", "Books 6 % (\"some\"); start not "
         "researched."),
        ("ebooks", "reduced2", "2022-01-01", None, "M", "E-books 6 %: " + UNVERIFIED),
        ("food", "reduced2", "1996-01-01", None, "EU3", "Food varies (6 % most, 12 % some): "
         "default 6 %."),
        ("medicines", "reduced2", "1996-01-01", None, "EU3", "Medicines 6 % (some)."),
    ],
    "ES": [
        ("books", "super_reduced", "2012-09-01", None, "M", "Books 4 %: " + UNVERIFIED),
        ("ebooks", "super_reduced", "2020-04-23", None, "M", "E-books 4 %: " + UNVERIFIED),
        ("newspapers", "super_reduced", "2012-09-01", None, "M", "Newspapers 4 %: "
         + UNVERIFIED),
        ("medicines", "super_reduced", "2012-09-01", None, "M", "Medicines for human use 4 %: "
         + UNVERIFIED),
    ],
    "IE": [
        ("books", "zero", "2012-01-01", None, "M", "Books 0 %: " + UNVERIFIED),
        ("ebooks", "reduced2", "2012-01-01", "2025-01-01", "M", "E-books 9 % until 2024-12-31: "
         + UNVERIFIED),
        ("ebooks", "zero", "2025-01-01", None, "M", "E-books 0 % from 2025-01-01: "
         + UNVERIFIED),
        ("children_clothing", "zero", "2012-01-01", None, "M", "Children's clothing and "
         "footwear 0 %: " + UNVERIFIED),
        ("food", "zero", "2012-01-01", None, "EU3", "Most food 0 % (some 13.5 %)."),
        ("medicines", "zero", "2012-01-01", None, "M", "Oral medicines 0 %: " + UNVERIFIED),
        ("newspapers", "reduced2", "2012-01-01", None, "EU3", "Newspapers 9 %."),
    ],
    "NL": [
        ("books", "reduced", "2001-01-01", None, "M", "Books 6 %, 9 % from 2019-01-01: "
         + UNVERIFIED),
        ("ebooks", "reduced", "2019-01-01", None, "M", "E-books 9 %: " + UNVERIFIED),
        ("newspapers", "reduced", "2001-01-01", None, "M", "Newspapers 6 %, 9 % from "
         "2019-01-01: " + UNVERIFIED),
        ("food", "reduced", "2001-01-01", None, "M", "Food 6 %, 9 % from 2019-01-01: "
         + UNVERIFIED),
        ("medicines", "reduced", "2001-01-01", None, "M", "Medicines 6 %, 9 % from 2019-01-01: "
         + UNVERIFIED),
    ],
    "SE": [
        ("books", "reduced2", "1990-07-01", None, "SE", "Books 6 %; start not researched."),
        ("ebooks", "reduced2", "2019-07-01", None, "SE", "E-books 6 % (since 2019-07-01: date "
         "model knowledge, unverified)."),
        ("newspapers", "reduced2", "1990-07-01", None, "SE", "Newspapers 6 %."),
        ("food", "reduced", "1990-07-01", "2026-04-01", "SE", "Food 12 %."),
        ("food", "reduced2", "2026-04-01", "2028-01-01", "M", "Food 12 -> 6 % from "
         "2026-04-01, temporary to 2027-12-31: " + UNVERIFIED),
        ("food", "reduced", "2028-01-01", None, "M", "Food back to 12 % from 2028-01-01 when "
         "the temporary cut ends: " + UNVERIFIED),
    ],
    "DK": [
        ("newspapers", "zero", "1992-01-01", None, "EU3", "Newspapers 0 % (zero-rated)."),
    ],
    "NO": [
        ("books", "zero", "2005-01-01", None, "NO", "Books 0 % (fritatt)."),
        ("ebooks", "zero", "2019-07-01", None, "M", "E-books 0 % since 2019-07-01: "
         + UNVERIFIED),
        ("newspapers", "zero", "2005-01-01", None, "NO", "Newspapers and periodicals 0 % "
         "(fritatt)."),
        ("food", "reduced", "2012-01-01", None, "NO", "Food and non-alcoholic drinks 15 % "
         "(note: food is excluded from VOEC: import VAT at the border)."),
    ],
    "CH": [
        ("books", "reduced2", "2018-01-01", None, "CH", "Books 2.5 %, 2.6 % from 2024-01-01."),
        ("ebooks", "reduced2", "2018-01-01", None, "M", "Electronic books and newspapers at "
         "the reduced rate since 2018-01-01: " + UNVERIFIED),
        ("newspapers", "reduced2", "2018-01-01", None, "CH", "Newspapers 2.5 %, 2.6 % from "
         "2024-01-01."),
        ("food", "reduced2", "2018-01-01", None, "CH", "Food and non-alcoholic drinks 2.5 %, "
         "2.6 % from 2024-01-01."),
        ("medicines", "reduced2", "2018-01-01", None, "CH", "Medicines 2.5 %, 2.6 % from "
         "2024-01-01."),
    ],
}

# ---------------------------------------------------------------------------------------------
# Special territories (issue #9 item 1; research section 3). Postcode regexes of ibericode's
# `exceptions` are written out as prefixes; codes from kdeldycke's territory_codes. A territory
# either lies outside the EU VAT area (no VAT of this file; local taxes such as IGIC or IPSI
# are not modelled) or takes the taxes of another jurisdiction file (treatment "jurisdiction").
# ---------------------------------------------------------------------------------------------
ART6 = ("Directive 2006/112/EC art. 6 (territories excluded from the VAT territory; article "
        "number from model knowledge) https://eur-lex.europa.eu/eli/dir/2006/112/oj")


def terr_source(extra):
    return "%s; dataset: %s" % (ART6, extra)


I_EXC = "ibericode/vat-rates@5abb1e1b exceptions"
K_COD = "kdeldycke/vat-rates@7585c283 territory_codes"
OLDER = "Status older than this date: dated to the first period of the datasets that lists it."

# ISO 3166-2 codes a country file names (only those its territories use; complete = false).
REGIONS = {
    "ES": ["ES-CE", "ES-CN", "ES-GC", "ES-ML", "ES-TF"],
    "FI": ["FI-01"],
    "GR": ["GR-69"],
    "PT": ["PT-20", "PT-30"],
}
REGIONS_SOURCE = "ISO 3166-2 (subdivision codes; as used by kdeldycke/vat-rates territory_codes)"

TERRITORIES = {
    "ES": [
        {"id": "ES.canary_islands", "name": "Canary Islands", "postal_codes": ["35", "38"],
         "regions": ["ES-CN", "ES-GC", "ES-TF"], "treatment": "outside_vat_area",
         "effective_from": "2012-09-01",
         "source": terr_source("%s (35\\d{3}|38\\d{3}); %s ES-CN, ES-GC, ES-TF, IC" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; the local IGIC (7 % general: unverified, model "
                 "knowledge) is not modelled. " + OLDER},
        {"id": "ES.ceuta", "name": "Ceuta",
         "postal_codes": ["51001", "51002", "51003", "51004", "51005", "51070", "51071", "51081"],
         "regions": ["ES-CE"], "treatment": "outside_vat_area", "effective_from": "2012-09-01",
         "source": terr_source("%s (5100[1-5]|5107[0-1]|51081); %s ES-CE, EA" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; the local IPSI is not modelled. " + OLDER},
        {"id": "ES.melilla", "name": "Melilla",
         "postal_codes": ["52000", "52001", "52002", "52003", "52004", "52005", "52006", "52070",
                          "52071", "52081"],
         "regions": ["ES-ML"], "treatment": "outside_vat_area", "effective_from": "2012-09-01",
         "source": terr_source("%s (5200[0-6]|5207[0-1]|52081); %s ES-ML, EA" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; the local IPSI is not modelled. " + OLDER},
    ],
    "FI": [
        {"id": "FI.aland", "name": "Åland", "postal_codes": ["22"], "regions": ["FI-01"],
         "treatment": "outside_vat_area", "effective_from": "2013-01-01",
         "source": terr_source("%s FI-01, AX (0 %% since 2013-01-01); ibericode has no Åland "
                               "exception" % K_COD),
         "note": "Outside the EU VAT area. Matched by region FI-01; the postcode prefix 22 "
                 "(Finnish postcodes 22000-22999) is unverified (model knowledge), no dataset "
                 "lists Åland postcodes. " + OLDER},
    ],
    "DE": [
        {"id": "DE.heligoland", "name": "Heligoland", "postal_codes": ["27498"],
         "treatment": "outside_vat_area", "effective_from": "2007-01-01",
         "source": terr_source("%s 27498; %s DE-27498 (since 2007-01-01)" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area. " + OLDER},
        {"id": "DE.busingen", "name": "Büsingen am Hochrhein", "postal_codes": ["78266"],
         "treatment": "jurisdiction", "jurisdiction": "CH", "effective_from": "2007-01-01",
         "source": terr_source("%s 78266 (0 %% German VAT); %s DE-78266, CH-8238" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; Swiss VAT applies (customs union with Switzerland; "
                 "model knowledge, unverified): the datasets only say German VAT is 0. " + OLDER},
    ],
    "IT": [
        {"id": "IT.livigno", "name": "Livigno", "postal_codes": ["23041"],
         "treatment": "outside_vat_area", "effective_from": "2013-10-01",
         "source": terr_source("%s 23041; %s IT-23030" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area. Postcode conflict: ibericode 23041, kdeldycke 23030. "
                 "Only 23041 is matched: 23030 is shared with other Valtellina municipalities "
                 "(unverified), whose buyers owe Italian VAT; a Livigno address written 23030 is "
                 "taxed at the Italian rate (over-, never under-charged). " + OLDER},
        {"id": "IT.campione", "name": "Campione d'Italia", "postal_codes": ["22061"],
         "treatment": "outside_vat_area", "effective_from": "2013-10-01",
         "source": terr_source("%s 22061; %s IT-22060, CH-6911 (currency CHF)" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area (inside the EU customs territory since 2020-01-01: "
                 "model knowledge). Postcode conflict: ibericode 22061, kdeldycke 22060. Only 22061 "
                 "is matched: 22060 is shared with other municipalities of the province of Como "
                 "(unverified), whose buyers owe Italian VAT. " + OLDER},
    ],
    "GR": [
        {"id": "GR.mount_athos", "name": "Mount Athos", "postal_codes": ["63086"],
         "regions": ["GR-69"], "treatment": "outside_vat_area", "effective_from": "2010-07-01",
         "source": terr_source("%s 63086; %s GR-69, EL-69 (since 2010-07-01)" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area. " + OLDER},
    ],
    "FR": [
        {"id": "FR.guadeloupe", "name": "Guadeloupe", "postal_codes": ["971"],
         "treatment": "jurisdiction", "jurisdiction": "FR-DOM", "effective_from": "2014-01-01",
         "source": terr_source("%s 971\\d{2,} (8.5 %%); %s FR-GP, GP" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; French overseas TVA (FR-DOM file). Saint-Barthélemy "
                 "(97133) and Saint-Martin (97150) are excluded below. " + OLDER},
        {"id": "FR.saint_barthelemy", "name": "Saint-Barthélemy", "postal_codes": ["97133"],
         "treatment": "outside_vat_area", "effective_from": "2014-01-01",
         "source": terr_source("%s BL (its own ISO 3166-1 code); ibericode includes 97133 in "
                               "Guadeloupe's 971" % K_COD),
         "note": "No TVA in Saint-Barthélemy (overseas collectivity): postcode 97133 is model "
                 "knowledge, unverified. " + OLDER},
        {"id": "FR.saint_martin", "name": "Saint-Martin", "postal_codes": ["97150"],
         "treatment": "outside_vat_area", "effective_from": "2014-01-01",
         "source": terr_source("%s MF (its own ISO 3166-1 code); ibericode includes 97150 in "
                               "Guadeloupe's 971" % K_COD),
         "note": "No TVA in Saint-Martin (overseas collectivity, local TGCA not modelled): "
                 "postcode 97150 is model knowledge, unverified. " + OLDER},
        {"id": "FR.martinique", "name": "Martinique", "postal_codes": ["972"],
         "treatment": "jurisdiction", "jurisdiction": "FR-DOM", "effective_from": "2014-01-01",
         "source": terr_source("%s 972\\d{2,} (8.5 %%); %s FR-MQ, MQ" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; French overseas TVA (FR-DOM file). " + OLDER},
        {"id": "FR.guyane", "name": "Guyane (French Guiana)", "postal_codes": ["973"],
         "treatment": "outside_vat_area", "effective_from": "2014-01-01",
         "source": terr_source("%s 973\\d{2,} (0 %%); %s FR-GF, GF" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; TVA not applied (octroi de mer not modelled). "
                 + OLDER},
        {"id": "FR.reunion", "name": "Réunion", "postal_codes": ["974"],
         "treatment": "jurisdiction", "jurisdiction": "FR-DOM", "effective_from": "2014-01-01",
         "source": terr_source("%s 974\\d{2,} (8.5 %%); %s FR-RE, RE" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; French overseas TVA (FR-DOM file). " + OLDER},
        {"id": "FR.mayotte", "name": "Mayotte", "postal_codes": ["976"],
         "treatment": "outside_vat_area", "effective_from": "2014-01-01",
         "source": terr_source("%s 976\\d{2,} (0 %%); %s FR-YT, YT" % (I_EXC, K_COD)),
         "note": "Outside the EU VAT area; TVA not applied. " + OLDER},
    ],
    "AT": [
        {"id": "AT.jungholz", "name": "Jungholz", "postal_codes": ["6691"],
         "treatment": "jurisdiction", "jurisdiction": "DE", "effective_from": "2016-01-01",
         "source": "https://ec.europa.eu/taxation_customs/tedb/ (AT 19 %%); dataset: %s 6691 "
                   "(19 %%); %s AT-6691, DE-87491" % (I_EXC, K_COD),
         "note": "Inside the EU VAT area, German VAT rates apply (19 %; ibericode, TEDB). The "
                 "German postcode 87491 used there is not matched in AT. " + OLDER},
        {"id": "AT.mittelberg", "name": "Mittelberg (Kleinwalsertal)",
         "postal_codes": ["6991", "6992", "6993"], "treatment": "jurisdiction",
         "jurisdiction": "DE", "effective_from": "2016-01-01",
         "source": "https://ec.europa.eu/taxation_customs/tedb/ (AT 19 %%); dataset: %s "
                   "699[123] (19 %%); %s AT-6991/6992/6993, DE-87567/87568/87569" % (I_EXC, K_COD),
         "note": "Inside the EU VAT area, German VAT rates apply (19 %). " + OLDER},
    ],
    "PT": [
        {"id": "PT.madeira", "name": "Madeira", "postal_codes": ["90", "91", "92", "93", "94"],
         "regions": ["PT-30"], "treatment": "jurisdiction", "jurisdiction": "PT-30",
         "effective_from": "2011-01-01",
         "source": "https://ec.europa.eu/taxation_customs/tedb/ (PT 22 %%); dataset: %s "
                   "9[0-4]\\d{2,} (22 %%); %s PT-30" % (I_EXC, K_COD),
         "note": "Inside the EU VAT area with regional rates (PT-30 file). " + OLDER},
        {"id": "PT.azores", "name": "Azores", "postal_codes": ["95", "96", "97", "98", "99"],
         "regions": ["PT-20"], "treatment": "jurisdiction", "jurisdiction": "PT-20",
         "effective_from": "2011-01-01",
         "source": "https://ec.europa.eu/taxation_customs/tedb/ (PT 16 %%); dataset: %s "
                   "9[5-9]\\d{2,} (18 %%); %s PT-20 (18 %%)" % (I_EXC, K_COD),
         "note": "Inside the EU VAT area with regional rates (PT-20 file; 16 % vs 18 % conflict "
                 "noted there). " + OLDER},
    ],
}

# Extra notes on particular entries (country, band, effective_from) -> text.
NOTE_OVERRIDES = {
    ("LU", "parking", "2016-01-01"): "ibericode gives 13 % for 2016-2022; Luxembourg's "
    "intermediate rate is commonly reported as 14 % from 2015 (13 % only in 2023). Uncertain; "
    "not used for current quotes.",
    ("LU", "parking", "1992-01-01"): "ibericode keeps 12 % through 2015 although the other "
    "rates rose on 2015-01-01 (it lists 14 % as a reduced rate that year); uncertain.",
    ("LU", "reduced", "2015-01-01"): "ibericode lists 14 % as reduced rate for 2015 (it is "
    "usually called the intermediate/parking rate); uncertain.",
}

# Differences against vatnode (on --check-date) that are understood and deliberately kept.
# Key: (country, field, side, value) where side is "vatnode-only" or "ours-only".
TERRITORY = "rate of a special territory (postcode exception), listed by TEDB; not modelled"
EXPLAINED = {
    ("AT", "reduced", "vatnode-only", "19"): TERRITORY + " (Jungholz/Mittelberg 19 %)",
    ("AT", "parking", "ours-only", "13"): "vatnode has no parking rate; ibericode gives 13 % "
    "(kept)",
    ("FR", "reduced", "vatnode-only", "0.9"): TERRITORY + " (Corsica)",
    ("FR", "reduced", "vatnode-only", "13"): TERRITORY + " (Corsica)",
    ("FR", "reduced", "vatnode-only", "1.05"): TERRITORY + " (overseas departments)",
    ("FR", "reduced", "vatnode-only", "8.5"): TERRITORY + " (overseas departments)",
    ("GR", "reduced", "vatnode-only", "17"): TERRITORY + " (Aegean islands, -30 %)",
    ("GR", "super_reduced", "vatnode-only", "4"): "island rate (6 % less 30 %) per TEDB; not "
    "in ibericode; not modelled",
    ("GR", "parking", "vatnode-only", "13"): "vatnode lists 13 % also as parking; not in "
    "ibericode; 13 % is already the reduced rate",
    ("IE", "super_reduced", "ours-only", "4.8"): "vatnode has none; ibericode gives 4.8 % "
    "(livestock) (kept)",
    ("IE", "parking", "ours-only", "13.5"): "vatnode has none; ibericode gives 13.5 % (kept)",
    ("LU", "reduced", "vatnode-only", "14"): "vatnode lists 14 % as reduced and as parking; "
    "kept as parking only",
    ("PL", "super_reduced", "vatnode-only", "8"): "vatnode repeats the 8 % reduced rate as "
    "super-reduced; not added",
    ("PT", "reduced", "vatnode-only", "16"): TERRITORY + " (Azores)",
    ("PT", "reduced", "vatnode-only", "22"): TERRITORY + " (Madeira)",
    ("PT", "super_reduced", "vatnode-only", "6"): "vatnode repeats the 6 % reduced rate as "
    "super-reduced; not added",
}

# Standard rates from shared/design/DOMAIN.md (as of the check date), and the dated changes
# it names with the rate before the change.
DOMAIN_STANDARD = {
    "AT": "20", "BE": "21", "BG": "20", "HR": "25", "CY": "19", "CZ": "21", "DK": "25",
    "EE": "24", "FI": "25.5", "FR": "20", "DE": "19", "GR": "24", "HU": "27", "IE": "23",
    "IT": "22", "LV": "21", "LT": "21", "LU": "17", "MT": "18", "NL": "21", "PL": "23",
    "PT": "23", "RO": "21", "SK": "23", "SI": "22", "ES": "21", "SE": "25",
    "GB": "20", "NO": "25", "CH": "8.1",
}
DOMAIN_CHANGES = [("EE", "2025-07-01", "22", "24"), ("FI", "2024-09-01", "24", "25.5"),
                  ("RO", "2025-08-01", "19", "21"), ("SK", "2025-01-01", "20", "23"),
                  ("CH", "2024-01-01", "7.7", "8.1")]
# valeriansaliou change timestamps that are known to be off (they give 21:00Z on the day).
VALERIANSALIOU_EXPLAINED = {("RO", "2025-08-02"): "valeriansaliou timestamp is "
                            "2025-08-01T21:00Z, i.e. one day late; ibericode/kdeldycke say "
                            "2025-08-01"}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def pct(x):
    """Percentage (int, Decimal or string) -> Decimal percentage, never via float."""
    return Decimal(str(x))


def fraction_str(percent):
    """Decimal percentage -> normalised fraction string: 25 -> '0.25', 9.975 -> '0.09975'."""
    s = format((pct(percent) / Decimal(100)).normalize(), "f")
    if not s.startswith("0.") or s == "0.":
        raise ValueError("unexpected rate %s" % percent)
    return s


def pct_str(percent):
    return format(pct(percent).normalize(), "f")


def parse_date(s):
    return datetime.date.fromisoformat(s)


def day_before(s):
    return (parse_date(s) - datetime.timedelta(days=1)).isoformat()


class Report:
    def __init__(self):
        self.unexplained = 0

    def info(self, msg):
        print("  " + msg)

    def mismatch(self, msg, explanation=None):
        if explanation:
            print("  MISMATCH (explained) " + msg + " -- " + explanation)
        else:
            print("  MISMATCH " + msg)
            self.unexplained += 1


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def load_kdeldycke(path):
    """Standard-rate rows for plain country codes: {code: [(start, stop, Decimal percent)]}.

    kdeldycke writes stop_date sometimes as the next row's start and sometimes as the last
    day ("2022-12-31"); stops are made exclusive here: a stop that no row of the same code
    starts on is taken as a last day and moved one day on. stop None = still in force."""
    rows = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["rate_type"] != "standard":
                continue
            percent = Decimal(r["rate"]) * 100
            for code in r["territory_codes"].split("\n"):
                code = code.strip()
                if len(code) == 2:
                    rows.setdefault(code, []).append(
                        (r["start_date"], r["stop_date"] or None, percent))
    for code, lst in rows.items():
        starts = {start for start, _, _ in lst}
        fixed = []
        for start, stop, percent in lst:
            if stop is not None and stop not in starts:
                stop = (parse_date(stop) + datetime.timedelta(days=1)).isoformat()
            fixed.append((start, stop, percent))
        rows[code] = sorted(fixed)
    return rows


def kd_covering(kd_rows, cc, day):
    return [r for r in kd_rows.get(cc, []) if r[0] <= day and (r[1] is None or day < r[1])]


def check_provenance(data_dir, report):
    path = os.path.join(data_dir, "..", "PROVENANCE.md")
    if not os.path.exists(path):
        report.info("note: %s not found; commits not verified" % path)
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for key, (_, repo, commit, _) in sorted(DATASETS.items()):
        if commit not in text:
            report.mismatch("PROVENANCE.md does not name commit %s for %s" % (commit, repo))


# ---------------------------------------------------------------------------------------------
# Building periods
# ---------------------------------------------------------------------------------------------
def split_rates(raw):
    """ibericode rates dict -> ({category: Decimal}, {category: original key}).

    reduced / reduced1 / reduced2 and any key outside the fixed vocabulary (for example
    EE's 'press_publications') are pooled; the highest becomes 'reduced', the next
    'reduced2'."""
    out, aliases, pool = {}, {}, {}
    for key, value in raw.items():
        v = pct(value)
        if key in ("standard", "super_reduced", "parking"):
            out[key] = v
        else:
            pool.setdefault(v, key)
    ordered = sorted(pool, reverse=True)
    if len(ordered) > 2:
        raise ValueError("more than two reduced rates: %r" % raw)
    for cat, v in zip(("reduced", "reduced2"), ordered):
        out[cat] = v
        if pool[v] not in ("reduced", "reduced1", "reduced2"):
            aliases[cat] = pool[v]
    return out, aliases


def spec_rates(spec):
    """EXTRA/MANUAL period rates (strings, 'reduced' as a list) -> {category: Decimal}."""
    out = {}
    for key, value in spec.items():
        if key == "reduced":
            for cat, v in zip(("reduced", "reduced2"), sorted(map(pct, value), reverse=True)):
                out[cat] = v
            if len(value) > 2:
                raise ValueError("more than two reduced rates: %r" % spec)
        else:
            out[key] = pct(value)
    return out


def resolve_unknown_start(cc, standard, end, kd_rows):
    """Start date of the standard rate `standard` (percent) in force just before `end`
    (or on ibericode's file date if the period is still open), from kdeldycke.
    Walks back over contiguous kdeldycke rows with the same rate. None if no match."""
    when = day_before(end) if end else IBERICODE_FILE_DATE
    hits = [r for r in kd_covering(kd_rows, cc, when) if r[2] == standard]
    if len(hits) != 1:
        return None
    row = hits[0]
    while True:
        prev = [r for r in kd_rows[cc] if r[2] == standard and r[1] == row[0]]
        if not prev:
            return row[0]
        row = prev[0]


def build_eu_periods(cc, iberi, kd_rows, report):
    """Periods for an ibericode country, oldest first. Each period is a dict:
    start, rates {cat: Decimal}, aliases, datasets, notes {cat: text}, unknown_start (bool),
    first (bool)."""
    raw = sorted(iberi["items"][cc], key=lambda p: p["effective_from"])
    periods = []
    for i, p in enumerate(raw):
        rates, aliases = split_rates(p["rates"])
        start = p["effective_from"]
        per = {"start": start, "rates": rates, "aliases": aliases, "datasets": ["ibericode"],
               "notes": {}, "unknown_start": False, "first": i == 0}
        if start.startswith("0000"):
            end = raw[i + 1]["effective_from"] if i + 1 < len(raw) else None
            found = resolve_unknown_start(cc, rates["standard"], end, kd_rows)
            if found is None:
                raise SystemExit("%s: no kdeldycke standard rate matches ibericode's %s %% "
                                 "(start unknown); add a dated period by hand" %
                                 (cc, rates["standard"]))
            per["start"] = found
            per["unknown_start"] = True
            per["datasets"] = ["ibericode", "kdeldycke"]
            per["unknown_end"] = end
        periods.append(per)
    for extra in EXTRA_PERIODS.get(cc, []):
        report.info("added period from %s (%s): %s" % (
            extra["effective_from"], "+".join(extra["datasets"]),
            "; ".join("%s %s" % (k, v) for k, v in sorted(extra["rates"].items()))))
        periods.append({"start": extra["effective_from"], "rates": spec_rates(extra["rates"]),
                        "aliases": {}, "datasets": list(extra["datasets"]),
                        "notes": dict(extra["notes"]), "unknown_start": False,
                        "first": False})
    return check_order(cc, periods)


def build_manual_periods(cc):
    periods = []
    for i, spec in enumerate(MANUAL_PERIODS[cc]):
        periods.append({"start": spec["effective_from"], "rates": spec_rates(spec["rates"]),
                        "aliases": {}, "datasets": list(spec["datasets"]),
                        "notes": dict(spec["notes"]), "unknown_start": False,
                        "first": i == 0, "manual": True})
    return check_order(cc, periods)


def check_order(cc, periods):
    periods.sort(key=lambda p: p["start"])
    starts = [p["start"] for p in periods]
    if len(set(starts)) != len(starts):
        raise SystemExit("%s: two periods start on the same day: %r" % (cc, starts))
    for p in periods:
        parse_date(p["start"])  # validates the format
    return periods


# ---------------------------------------------------------------------------------------------
# Periods -> rate entries
# ---------------------------------------------------------------------------------------------
def entry_note(cc, cat, period, aliases_seen):
    parts = []
    if period["unknown_start"] and cat == "standard":
        parts.append("ibericode gives no start date; start of the %s %% standard rate "
                     "from kdeldycke." % pct_str(period["rates"][cat]))
    elif period["unknown_start"]:
        until = period.get("unknown_end")
        parts.append("Start date of this rate not in the datasets: ibericode lists it in its "
                     "first period (start unknown, %s); dated here to the start of that "
                     "period's standard rate (kdeldycke). The real start may differ." %
                     ("until %s" % until if until else "still current in its %s file" %
                      IBERICODE_FILE_DATE))
    elif period["first"] and not period.get("manual") and cat != "standard":
        parts.append("Start is the first period in ibericode; the rate may be older.")
    if cat in period["notes"]:
        parts.append(period["notes"][cat])
    for alias in sorted(aliases_seen):
        parts.append("ibericode lists this rate as '%s'." % alias)
    extra = NOTE_OVERRIDES.get((cc, cat, period["start"]))
    if extra:
        parts.append(extra)
    return " ".join(parts)


def build_entries(cc, periods, report):
    entries = []
    for cat in BANDS:
        current = None  # [value, start period, datasets set, aliases set]
        for p in periods:
            value = p["rates"].get(cat)
            if current is not None and value == current[0]:
                current[2].update(p["datasets"])
                if cat in p["aliases"]:
                    current[3].add(p["aliases"][cat])
                continue
            if current is not None:
                entries.append(make_entry(cc, cat, current, p["start"]))
                current = None
            if value is not None:
                current = [value, p, set(p["datasets"]),
                           {p["aliases"][cat]} if cat in p["aliases"] else set()]
        if current is not None:
            entries.append(make_entry(cc, cat, current, None))
    validate_entries(cc, entries)
    return entries


def make_entry(cc, cat, current, end):
    value, period, datasets, aliases = current
    order = [k for k in ("ibericode", "kdeldycke", "vatnode", "valeriansaliou") if k in datasets]
    e = {
        "id": "%s.vat.%s.%s" % (cc, cat, period["start"]),
        "band": cat,
        "rate": fraction_str(value),
        "effective_from": period["start"],
    }
    if end:
        e["effective_to"] = end
    e["source"] = "%s; dataset: %s" % (OFFICIAL[cc], ", ".join(ds_ref(k) for k in order))
    note = entry_note(cc, cat, period, aliases)
    if note:
        e["note"] = note
    return e


def validate_entries(cc, entries):
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise SystemExit("%s: duplicate ids" % cc)
    for cat in BANDS:
        spans = sorted((e["effective_from"], e.get("effective_to") or "9999-12-31")
                       for e in entries if e["band"] == cat)
        for a, b in zip(spans, spans[1:]):
            if b[0] < a[1]:
                raise SystemExit("%s %s: overlapping entries %r %r" % (cc, cat, a, b))
        for s, t in spans:
            if not s < t:
                raise SystemExit("%s %s: empty period %s..%s" % (cc, cat, s, t))
    if not any(e["band"] == "standard" for e in entries):
        raise SystemExit("%s: no standard rate" % cc)


def in_force(entries, day):
    """{category: Decimal percent} in force on `day`."""
    out = {}
    for e in entries:
        if e["effective_from"] <= day and (e.get("effective_to") is None
                                           or day < e["effective_to"]):
            out[e["band"]] = Decimal(e["rate"]) * 100
    return out


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def zero_entries(cc):
    if cc not in ZERO_BANDS:
        return []
    start, key, note = ZERO_BANDS[cc]
    return [{"id": "%s.vat.zero.%s" % (cc, start), "band": "zero", "rate": "0",
             "effective_from": start, "source": SRC[key], "note": note}]


def category_entries(cc, entries):
    """KIND_MAP rows -> category entries; checks that each band has a rate for the whole
    period and that the rows of one kind follow each other without overlap."""
    out = []
    last_end = {}
    for kind, band, start, end, key, note in KIND_MAP.get(cc, []):
        parse_date(start)
        if end is not None and not end > start:
            raise SystemExit("%s %s: empty mapping %s..%s" % (cc, kind, start, end))
        if kind in last_end and (last_end[kind] is None or start < last_end[kind]):
            raise SystemExit("%s %s: mapping from %s overlaps the previous one" % (cc, kind, start))
        last_end[kind] = end
        if band != "exempt":
            day = start
            while end is None or day < end:
                cover = [e for e in entries if e["band"] == band and e["effective_from"] <= day
                         and (e.get("effective_to") is None or day < e["effective_to"])]
                if not cover:
                    raise SystemExit("%s %s: no %s rate on %s" % (cc, kind, band, day))
                day = cover[0].get("effective_to")
                if day is None:
                    break
        e = {"id": "%s.vat.%s.%s" % (cc, kind, start), "category": kind, "band": band,
             "effective_from": start}
        if end:
            e["effective_to"] = end
        e["source"] = SRC[key]
        e["note"] = note
        out.append(e)
    return out


def render(cc, country_name, tax_name, entries, used, categories):
    """One jurisdiction file in the rules/tax/<CC>.json format (concern "tax")."""
    names = []
    for k in ("ibericode", "kdeldycke", "vatnode", "valeriansaliou"):
        if k in used:
            _, repo, commit, fname = DATASETS[k]
            names.append("%s@%s (%s)" % (repo, commit[:8], fname))
    lines = [
        "// VAT for %s (%s): rates by band with effective dates (effective_to is exclusive)."
        % (cc, country_name),
        "// Generated by tools/import_vat.py from shared/data/vat (see shared/data/PROVENANCE.md):",
        "//   %s." % ", ".join(names),
    ]
    lines.append("// Edit by re-running the script, or by hand with a source (then change "
                 "tools/import_vat.py so a re-run keeps the edit).")

    def dump(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))

    src, note = ROUNDING[cc]
    rounding = {"mode": "HalfUp", "level": "line", "source": src, "note": note}
    lines += [
        "{",
        '  "concern": "tax",',
        '  "jurisdiction": %s,' % dump(cc),
        '  "country": %s,' % dump(cc),
        '  "name": %s,' % dump(country_name),
    ]
    if cc in EU:
        lines.append('  "vat_area": "EU",')
    lines += [
        '  "rounding": %s,' % dump(rounding),
    ]
    if cc in REGIONS:
        regions = {"codes": REGIONS[cc], "complete": False, "source": REGIONS_SOURCE}
        lines.append('  "regions": %s,' % dump(regions))
    lines += [
        '  "taxes": [',
        '    {',
        '      "id": %s,' % dump(cc + ".vat"),
        '      "name": %s,' % dump(tax_name),
        '      "rates": [',
    ]
    for i, e in enumerate(entries):
        lines.append("        " + dump(e) + ("," if i + 1 < len(entries) else ""))
    if categories:
        lines += ["      ],", '      "categories": [']
        for i, e in enumerate(categories):
            lines.append("        " + dump(e) + ("," if i + 1 < len(categories) else ""))
    lines += ["      ]", "    }"]
    terr = TERRITORIES.get(cc, [])
    if terr:
        lines += ["  ],", '  "territories": [']
        for i, t in enumerate(terr):
            for code in t.get("regions", []):
                if code not in REGIONS.get(cc, []):
                    raise SystemExit("%s %s: region %s not in REGIONS" % (cc, t["id"], code))
            lines.append("    " + dump(t) + ("," if i + 1 < len(terr) else ""))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def strip_comments(text):
    return "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("//"))


# ---------------------------------------------------------------------------------------------
# Cross-checks
# ---------------------------------------------------------------------------------------------
def fmt_set(values):
    return "{" + ", ".join(pct_str(v) for v in sorted(values)) + "}"


def check_vatnode(cc, entries, vn, day, report):
    ours = in_force(entries, day)
    theirs = vn["rates"][cc]
    if ours.get("standard") != pct(theirs["standard"]):
        report.mismatch("%s standard on %s: ours %s, vatnode %s" % (
            cc, day, pct_str(ours.get("standard", 0)), pct_str(theirs["standard"])))
    our_red = {v for k, v in ours.items() if k in ("reduced", "reduced2")}
    their_red = {pct(v) for v in theirs["reduced"]}
    diffs = [("reduced", "vatnode-only", v) for v in their_red - our_red]
    diffs += [("reduced", "ours-only", v) for v in our_red - their_red]
    for field in ("super_reduced", "parking"):
        a = ours.get(field)
        b = pct(theirs[field]) if theirs[field] is not None else None
        if a != b:
            if b is not None:
                diffs.append((field, "vatnode-only", b))
            if a is not None:
                diffs.append((field, "ours-only", a))
    for field, side, v in sorted(diffs):
        key = (cc, field, side, pct_str(v))
        report.mismatch("%s %s on %s: %s %s%% (ours reduced %s, vatnode reduced %s)" % (
            cc, field, day, side, pct_str(v), fmt_set(our_red), fmt_set(their_red)),
            EXPLAINED.get(key))


def check_domain(cc, entries, day, report):
    ours = in_force(entries, day).get("standard")
    if ours != pct(DOMAIN_STANDARD[cc]):
        report.mismatch("%s standard on %s: ours %s, DOMAIN.md %s" % (
            cc, day, pct_str(ours or 0), DOMAIN_STANDARD[cc]))
    for c, date, before, after in DOMAIN_CHANGES:
        if c != cc:
            continue
        got_before = in_force(entries, day_before(date)).get("standard")
        got_after = in_force(entries, date).get("standard")
        if got_before != pct(before) or got_after != pct(after):
            report.mismatch("%s standard change on %s: ours %s -> %s, expected %s -> %s" % (
                cc, date, got_before, got_after, before, after))


def check_kdeldycke_history(cc, entries, kd_rows, report):
    """Every standard entry should agree with kdeldycke on its first day."""
    for e in entries:
        if e["band"] != "standard":
            continue
        day = e["effective_from"]
        rates = {r[2] for r in kd_covering(kd_rows, cc, day)}
        ours = Decimal(e["rate"]) * 100
        if rates and ours not in rates:
            report.info("info: %s standard %s%% from %s: kdeldycke has %s on that day "
                        "(kdeldycke lacks this change)" % (cc, pct_str(ours), day,
                                                           fmt_set(rates)))


def check_valeriansaliou(cc, entries, vs, report):
    item = vs.get(cc)
    if not item:
        return
    for stamp, prev in sorted(item.get("before", {}).items()):
        t = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        change = (t + datetime.timedelta(hours=12)).date().isoformat()
        ours = in_force(entries, day_before(change)).get("standard")
        if ours != pct(prev["rate"]) * 100:
            report.mismatch("%s valeriansaliou: %s%% until %s, ours %s%% on %s" % (
                cc, pct_str(pct(prev["rate"]) * 100), change, pct_str(ours or 0),
                day_before(change)), VALERIANSALIOU_EXPLAINED.get((cc, change)))
    ours_now = in_force(entries, "2025-10-14").get("standard")  # valeriansaliou file date
    if ours_now != pct(item["rate"]) * 100:
        report.mismatch("%s valeriansaliou current %s%%, ours %s%% on 2025-10-14" % (
            cc, pct_str(pct(item["rate"]) * 100), pct_str(ours_now or 0)))


def check_manual(cc, entries, kd_rows, report):
    """NO/CH: the datasets' standard rows must agree with the manual periods."""
    first = min(e["effective_from"] for e in entries)
    for start, stop, percent in kd_rows.get(cc, []):
        if stop and stop <= first:
            report.info("info: %s kdeldycke %s%% %s..%s predates the modelled history" % (
                cc, pct_str(percent), start, stop))
            continue
        ours = in_force(entries, start).get("standard")
        if ours != percent:
            report.mismatch("%s kdeldycke %s%% from %s, ours %s" % (
                cc, pct_str(percent), start, ours))


# ---------------------------------------------------------------------------------------------
def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", nargs="?",
                    default=os.path.normpath(os.path.join(root, "..", "shared", "data", "vat")))
    ap.add_argument("out_dir", nargs="?", default=os.path.join(root, "rules", "tax"))
    ap.add_argument("--check-date", default="2026-11-23",
                    help="date on which rates are compared with vatnode and DOMAIN.md")
    args = ap.parse_args(argv)
    parse_date(args.check_date)
    if not os.path.isdir(args.data_dir):
        raise SystemExit("import_vat: data directory %s not found (give it as the first "
                         "argument)" % args.data_dir)

    report = Report()
    path = lambda key: os.path.join(args.data_dir, DATASETS[key][0])
    iberi = load_json(path("ibericode"))
    kd_rows = load_kdeldycke(path("kdeldycke"))
    vn = load_json(path("vatnode"))
    vs = load_json(path("valeriansaliou"))

    print("import_vat: data %s -> %s" % (args.data_dir, args.out_dir))
    check_provenance(args.data_dir, report)
    missing = [cc for cc in EU + ["GB"] if cc not in iberi["items"]]
    if missing:
        raise SystemExit("ibericode lacks %r" % missing)

    os.makedirs(args.out_dir, exist_ok=True)
    for cc in COUNTRIES:
        print("%s:" % cc)
        if cc in MANUAL_PERIODS:
            periods = build_manual_periods(cc)
        else:
            periods = build_eu_periods(cc, iberi, kd_rows, report)
            for p in periods:
                for cat, alias in sorted(p["aliases"].items()):
                    report.info("info: ibericode key '%s' (%s%%) from %s mapped to %s" % (
                        alias, pct_str(p["rates"][cat]), p["start"], cat))
        entries = build_entries(cc, periods, report) + zero_entries(cc)
        categories = category_entries(cc, entries)
        used = set()
        for p in periods:
            used.update(p["datasets"])

        check_vatnode(cc, entries, vn, args.check_date, report)
        check_domain(cc, entries, args.check_date, report)
        check_valeriansaliou(cc, entries, vs, report)
        if cc in MANUAL_PERIODS:
            check_manual(cc, entries, kd_rows, report)
        else:
            check_kdeldycke_history(cc, entries, kd_rows, report)
        for p in iberi["items"].get(cc, []):
            for ex in p.get("exceptions", []):
                report.info("info: not modelled: postcode exception %s (%s, from %s)" % (
                    ex["name"], ex["postcode"], p["effective_from"]))

        vn_item = vn["rates"][cc]
        tax_name = TAX_NAME_OVERRIDE.get(cc, vn_item["vat_abbr"])
        text = render(cc, vn_item["country"], tax_name, entries, used, categories)
        json.loads(strip_comments(text))  # must parse once comments are removed
        with open(os.path.join(args.out_dir, cc + ".json"), "w", encoding="utf-8",
                  newline="\n") as f:
            f.write(text)
        report.info("wrote %s.json (%d rates, %d kind mappings)" % (cc, len(entries),
                                                                     len(categories)))

    if report.unexplained:
        print("import_vat: %d unexplained mismatch(es)" % report.unexplained)
        return 1
    print("import_vat: done, no unexplained mismatches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
