#!/usr/bin/env python3
"""A large DHIS2 export for the import benchmark: DIR/ou.json (1 root, 40
provinces, 2,000 communes) and DIR/dv.json, a dataValueSets JSON of 2,000,000
values (10 data elements x 100 months x 2,000 communes) with the fields a
DHIS2 server writes (about 540 MB). usage: gen_dhis2.py DIR"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
units = [{"id": "ROOTid00001", "code": "VN", "name": "VN", "level": 1, "openingDate": "1990-01-01T00:00:00.000"}]
for p in range(40):
    units.append({"id": "P%010d" % p, "code": "%02d" % p, "name": "Province %d" % p, "level": 2,
                  "parent": {"id": "ROOTid00001"}, "openingDate": "1990-01-01T00:00:00.000"})
    for c in range(50):
        units.append({"id": "C%04d%06d" % (p, c), "code": "%02d%03d" % (p, c), "name": "Commune %d %d" % (p, c),
                      "level": 3, "parent": {"id": "P%010d" % p}, "openingDate": "1990-01-01T00:00:00.000"})
with open(os.path.join(out, "ou.json"), "w") as f:
    json.dump({"organisationUnits": units}, f)
communes = [u["code"] for u in units if u["level"] == 3]
n = 0
with open(os.path.join(out, "dv.json"), "w") as f:
    f.write('{"dataSet":"DS","dataValues":[\n')
    for y in range(2016, 2026):
        for m in range(1, 11):
            for de in range(10):
                for cu in communes:
                    f.write(",\n" if n else "")
                    f.write('{"dataElement":"DE_%02d","period":"%d%02d","orgUnit":"%s",'
                            '"categoryOptionCombo":"HllvX50cXC0","attributeOptionCombo":"HllvX50cXC0",'
                            '"value":"%d","storedBy":"admin","created":"2020-01-01T00:00:00.000+0000",'
                            '"lastUpdated":"2020-01-01T00:00:00.000+0000","followup":false}'
                            % (de, y, m, cu, (n * 7) % 1000))
                    n += 1
    f.write("\n]}\n")
print(n, "values")
