#!/usr/bin/env python3
"""Checks data value set payloads against the rules DHIS2 2.40-2.43 apply
when importing them with idScheme=code, written here from dhis2-core's own
code (not from chitieu's):

- 2.43, DefaultDataEntryService.decodeGroup: a data element or org unit code
  that names no object refuses the whole payload (E8103, E8107); 2.40-2.42,
  DataValueSetImportValidator: a conflict per value (E7610, E7612). A code
  is at most 50 characters (the code column, identifiableProperties.hbm),
  and an org unit must be a unit of the data folder (the implicit root VN is
  none).
- 2.43, validateKeyConsistency: every period of the type of the payload's
  data set (E8021); a period's start date within the org unit's
  openingDate..closedDate (E8031, DateRange.includes over
  HibernateDataEntryStore.getEntrySpanByOrgUnit). The dates are the ones the
  folder implies: opened on the 1st of valid_from at the latest, closed on
  the last day of valid_to at the earliest; a code reused by several units
  is one org unit in DHIS2 (the code column is unique), the latest.
- 2.43, validateValues: no two values with one key (data element, org unit,
  combos, period: E8128); a value valid for a NUMBER data element
  (E8122; 2.40-2.42 E7619): MathUtils.isNumeric, the pattern
  ^(-?0|-?[1-9]\\d*)(\\.\\d+)?$ and under 250 characters.

usage: dhis2_rules.py UNITS.csv PAYLOAD.json...  (exit 1 naming each breach)
"""
import csv
import json
import re
import sys

NUMERIC = re.compile(r"^(-?0|-?[1-9]\d*)(\.\d+)?$")
PERIODS = {"year": r"^\d{4}$", "half-year": r"^\d{4}S[12]$", "quarter": r"^\d{4}Q[1-4]$", "month": r"^\d{4}(0[1-9]|1[0-2])$"}


def months(text):
    """The first and last month of a period as units.csv writes one (2019,
    2025S1, 2016Q1, 2016-01, 201601)."""
    if "-" in text:
        text = text.replace("-", "")
    first = first_month(text)
    length = {4: 12}.get(len(text), 6 if "S" in text else 3 if "Q" in text else 1)
    return first, first + length - 1


def first_month(period):
    y = int(period[:4])
    rest = period[4:]
    if not rest:
        return y * 12
    if rest[0] == "S":
        return y * 12 + (int(rest[1]) - 1) * 6
    if rest[0] == "Q":
        return y * 12 + (int(rest[1]) - 1) * 3
    return y * 12 + int(rest) - 1


def period_type(period):
    for name, pattern in PERIODS.items():
        if re.match(pattern, period):
            return name
    return None


def main():
    units = {}
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lo = months(row["valid_from"])[0] if row.get("valid_from") else -10**9
            hi = months(row["valid_to"])[1] if row.get("valid_to") else 10**9
            # a reused code: the latest unit holds it in DHIS2
            if row["code"] not in units or lo > units[row["code"]][0]:
                units[row["code"]] = (lo, hi)
    bad = 0

    def breach(path, i, what):
        nonlocal bad
        bad += 1
        if bad <= 20:
            print(f"{path} dataValues[{i}]: {what}")

    total = 0
    for path in sys.argv[2:]:
        payload = json.load(open(path, encoding="utf-8"))
        values = payload["dataValues"]
        total += len(values)
        keys = {}
        types = set()
        for i, dv in enumerate(values):
            de, pe, ou, value = dv.get("dataElement"), dv.get("period"), dv.get("orgUnit"), dv.get("value")
            if not de or len(de) > 50:
                breach(path, i, f"data element code {de!r}: none in DHIS2 (E8103 / E7610)")
            if ou not in units or len(ou) > 50:
                breach(path, i, f"org unit {ou!r} is no unit of the folder (E8107 / E7612)")
            t = period_type(pe or "")
            if t is None:
                breach(path, i, f"period {pe!r} is no period id DHIS2 takes here (E8100)")
                continue
            types.add(t)
            if ou in units:
                lo, hi = units[ou]
                start = first_month(pe)
                if start < lo or start > hi:
                    breach(path, i, f"{ou} {pe}: the period starts outside the unit's opening and closing dates (E8031)")
            if not isinstance(value, str) or not NUMERIC.match(value) or len(value) >= 250:
                breach(path, i, f"value {value!r} is not a DHIS2 number (E8122 / E7619)")
            key = (de, ou, dv.get("categoryOptionCombo"), dv.get("attributeOptionCombo"), pe)
            if key in keys:
                breach(path, i, f"the same key as dataValues[{keys[key]}] (E8128)")
            keys[key] = i
        if len(types) > 1:
            bad += 1
            print(f"{path}: periods of several types {sorted(types)}: a data set has one (E8021)")
    if bad:
        print(f"{bad} breaches of DHIS2's import rules in {total} values")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
