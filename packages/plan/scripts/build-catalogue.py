#!/usr/bin/python3
"""Build packages/plan/src/catalogue-data.ts: the offline name-resolution catalogue.

Run: /usr/bin/python3 packages/plan/scripts/build-catalogue.py [SHARED_FIXTURES_DIR]
Sources (all in ../shared/fixtures/catalogs, see its MANIFEST.tsv):
  - OpenNGC.kscat (OpenNGC v20210306 by Mattia Verga, CC-BY-SA-4.0): NGC, IC and Messier positions
    and common names.
  - d3c_messier.json (d3-celestial 0.7.35, BSD-3-Clause): extra Messier common names.
  - d3c_starnames.json + d3c_stars.6.json (d3-celestial 0.7.35, BSD-3-Clause; positions from
    Hipparcos): stars to magnitude 6 with proper names, Bayer and Flamsteed designations, HIP and HD.
  - stars.dat (KStars' Hipparcos/Tycho extract; the Hipparcos values are ESA's, public domain; the
    compilation is GPL-2+ by Jason Harris): only the proper motions (mas/yr) of the named stars
    above, matched by position (< 2″) and magnitude (< 0.5).
  - asteroids.dat and comets.dat (NASA/JPL Small-Body Database query output, as shipped by KStars):
    osculating heliocentric ecliptic J2000 elements of numbered asteroids and of numbered periodic
    comets plus comets with elements from 2015 on (written to small-body-data.ts).
  - sites/obsdb.dat (IRAF's observatory database, NOAO, distributed with IRAF under its permissive
    licence): 70-odd optical observatories with longitude (west positive there), latitude,
    altitude and time zone.
Output lines are `;`-separated, one object per line; see catalogue.ts for the reader.
"""
import json
import os
import sqlite3
import sys

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared", "fixtures")
cat = os.path.join(shared, "catalogs")
out = os.path.join(here, "..", "src", "catalogue-data.ts")

SKIP_PREFIX = ("PGC", "UGC", "MCG", "ESO", "CGCG", "IRAS", "2MASX", "NED", "Holm", "VV", "Arp", "Mrk", "KUG", "Sh2", "LBN", "LDN", "vdB", "Ced", "Cr", "Mel", "Tr ", "Stock", "H ", "Haro")

def clean(s):
    return s.replace(";", ",").replace("|", "/").replace("\u2009", " ").strip()

def fmt(x, nd):
    s = f"{x:.{nd}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s

# Deep-sky objects: name;aliases(|);ra;dec;type-code;mag
dso = {}
extra_names = {}
with open(os.path.join(cat, "d3c_messier.json")) as f:
    for feat in json.load(f)["features"]:
        p = feat["properties"]
        alt = p.get("alt") or ""
        extra_names["M " + p["name"][1:]] = [a.strip() for a in alt.split(",") if a.strip()]
con = sqlite3.connect(os.path.join(cat, "OpenNGC.kscat"))
for name, long_name, typ, ra, dec, mag in con.execute(
    "select name, long_name, type, ra, dec, magnitude from cat order by rowid"
):
    name = clean(name)
    if name in dso or " NED" in name or typ == 255:
        continue
    aliases = []
    for a in (long_name or "").split(","):
        a = clean(a)
        if a and not a.startswith(SKIP_PREFIX) and a != name:
            aliases.append(a)
    for a in extra_names.get(name, []):
        if a not in aliases:
            aliases.append(clean(a))
    short = name.replace("NGC ", "N").replace("IC ", "I").replace("M ", "M")
    dso[name] = f"{short};{'|'.join(aliases)};{fmt(ra, 3)};{fmt(dec, 3)};{typ}"

# Hipparcos proper motions from KStars' stars.dat, by position: "HHMMSS.ss ±DDMMSS.s pmRA pmDec plx mag".
def sexa_ra(t):
    return (int(t[0:2]) + int(t[2:4]) / 60 + float(t[4:]) / 3600) * 15

def sexa_dec(t):
    sign = -1 if t[0] == "-" else 1
    t = t[1:]
    return sign * (int(t[0:2]) + int(t[2:4]) / 60 + float(t[4:]) / 3600)

pm_cells = {}
with open(os.path.join(cat, "stars.dat"), encoding="latin-1") as f:
    for line in f:
        if line.startswith("#") or len(line) < 60:
            continue
        try:
            ra_h, dec_d = sexa_ra(line[0:9]), sexa_dec(line[10:19])
            pmra, pmdec, mag = float(line[20:29]), float(line[29:38]), float(line[46:51])
        except ValueError:
            continue
        if mag > 7:
            continue
        pm_cells.setdefault((int(ra_h), int(dec_d + 90)), []).append((ra_h, dec_d, pmra, pmdec, mag))

def proper_motion(ra, dec, mag):
    import math
    best = None
    for dra in (-1, 0, 1):
        for ddec in (-1, 0, 1):
            for (r, d, pa, pd, m) in pm_cells.get((int(ra) + dra, int(dec + 90) + ddec), []):
                sep = math.hypot((r - ra) * math.cos(math.radians(dec)), d - dec) * 3600
                if sep < 2 and abs(m - mag) < 0.5 and (best is None or sep < best[0]):
                    best = (sep, pa, pd)
    return best

# Stars: hip;proper name;bayer letter;flamsteed;constellation;hd;ra;dec;mag;pmRA*;pmDec
with open(os.path.join(cat, "d3c_starnames.json")) as f:
    names = json.load(f)
stars = []
with open(os.path.join(cat, "d3c_stars.6.json")) as f:
    for feat in json.load(f)["features"]:
        hip = str(feat["id"])
        n = names.get(hip)
        if n is None or not (n.get("name") or n.get("bayer") or n.get("flam")):
            continue
        lon, lat = feat["geometry"]["coordinates"]
        ra = lon % 360.0
        hd = clean(n.get("hd", "")).replace("HD ", "")
        pm = proper_motion(ra, lat, feat["properties"]["mag"])
        stars.append(
            ";".join(
                [hip, clean(n.get("name", "")), clean(n.get("bayer", "")), clean(n.get("flam", "")),
                 clean(n.get("c", "")), hd, fmt(ra, 4), fmt(lat, 4), fmt(feat["properties"]["mag"], 1),
                 "" if pm is None else fmt(pm[1], 1), "" if pm is None else fmt(pm[2], 1)]
            )
        )

# Sites: id;name;latDeg;lonDegEast;elevationM;utcOffsetHours
def sexa(v):
    v = v.strip().strip('"')
    sign = -1 if v.startswith("-") else 1
    parts = [float(x) for x in v.lstrip("+-").split(":")]
    val = 0.0
    for i, x in enumerate(parts):
        val += x / (60 ** i)
    return sign * val

sites = []
cur = None
with open(os.path.join(shared, "sites", "obsdb.dat"), encoding="latin-1") as f:
    for line in f:
        line = line.strip()
        if line.startswith("#") or "=" not in line:
            continue
        key, val = [x.strip() for x in line.split("=", 1)]
        if key == "observatory":
            cur = {"id": val.strip('"')}
            sites.append(cur)
        elif cur is not None:
            cur[key] = val.strip('"')
site_lines = []
for st in sites:
    if not all(k in st for k in ("name", "longitude", "latitude", "altitude")):
        continue
    tz = st.get("timezone")
    site_lines.append(";".join([
        st["id"], clean(st["name"]), fmt(sexa(st["latitude"]), 5), fmt(-sexa(st["longitude"]), 5),
        fmt(float(st["altitude"]), 0), "" if tz is None else fmt(-float(tz), 2),
    ]))

with open(out, "w", encoding="utf-8") as f:
    f.write("// Generated by packages/plan/scripts/build-catalogue.py — do not edit.\n")
    f.write("// OpenNGC (CC-BY-SA-4.0, Mattia Verga) and d3-celestial 0.7.35 (BSD-3-Clause) data; see docs/plan.md.\n\n")
    f.write("/** NGC/IC/Messier objects: `name;alias|alias;raDeg;decDeg;type` per line (J2000; N/I/M prefixes stand for NGC/IC/M). */\n")
    f.write("export const DSO_LINES = " + json.dumps("\n".join(dso.values()), ensure_ascii=False) + ";\n\n")
    f.write("/** Stars to V≈6 with names: `hip;name;bayer;flamsteed;constellation;hd;raDeg;decDeg;mag;pmRaCosDec;pmDec` (J2000, epoch J2000; proper motions in mas/yr from Hipparcos, empty when unmatched). */\n")
    f.write("export const STAR_LINES = " + json.dumps("\n".join(stars), ensure_ascii=False) + ";\n\n")
    f.write("/** Observatories (IRAF obsdb): `id;name;latDeg;lonDegEast;elevationM;utcOffsetHours` per line. */\n")
    f.write("export const SITE_LINES = " + json.dumps("\n".join(site_lines), ensure_ascii=False) + ";\n")
# Small bodies: type;name;alias|alias;e;a or q;i;node;peri;M or tp;epoch (JD TDB)
import re
bodies = []
with open(os.path.join(cat, "asteroids.dat")) as f:
    ast = json.load(f)
col = {k: i for i, k in enumerate(ast["fields"])}
for r in ast["data"]:
    full = r[col["full_name"]].strip()
    m = re.match(r"^(\d+)\s+(.*?)\s*(?:\((.+)\))?$", full)
    if not m:
        continue
    number, rest, prov = m.group(1), m.group(2).strip(), (m.group(3) or "").strip()
    if rest:
        name, aliases = f"{number} {rest}", [rest, f"({number})"] + ([prov] if prov else [])
    else:
        name, aliases = f"{number} ({prov})", [f"({number})", prov]
    bodies.append(";".join([
        "a", clean(name), "|".join(clean(a) for a in aliases if a),
        fmt(float(r[col["e"]]), 9), fmt(float(r[col["a"]]), 9), fmt(float(r[col["i"]]), 6),
        fmt(float(r[col["om"]]), 6), fmt(float(r[col["w"]]), 6), fmt(float(r[col["ma"]]), 6),
        fmt(float(r[col["epoch_mjd"]]) + 2400000.5, 1),
    ]))
with open(os.path.join(cat, "comets.dat")) as f:
    com = json.load(f)
col = {k: i for i, k in enumerate(com["fields"])}
rows = []
for r in com["data"]:
    full = r[col["full_name"]].strip()
    periodic = re.match(r"^(\d+)([PDI])/(.*)$", full)
    epoch = r[col["epoch.mjd"]]
    if not periodic and (epoch is None or epoch < 57000):
        continue
    rows.append((full, periodic, r))
bare = {}
for full, periodic, r in rows:
    if periodic:
        bare.setdefault(periodic.group(3).strip().lower(), []).append(full)
for full, periodic, r in rows:
    aliases = []
    if periodic:
        aliases.append(periodic.group(1) + periodic.group(2))
        nm = periodic.group(3).strip()
        if nm and len(bare.get(nm.lower(), [])) == 1:
            aliases.append(nm)
    else:
        d = re.match(r"^([CPDXAI]/\d{4} [A-Z]+\d*(?:-[A-Z])?)\s*(?:\((.+)\))?$", full)
        if d and d.group(2):
            aliases.append(d.group(1))
    epoch = r[col["epoch.mjd"]]
    bodies.append(";".join([
        "c", clean(full), "|".join(clean(a) for a in aliases),
        fmt(float(r[col["e"]]), 9), fmt(float(r[col["q"]]), 9), fmt(float(r[col["i"]]), 6),
        fmt(float(r[col["om"]]), 6), fmt(float(r[col["w"]]), 6), fmt(float(r[col["tp"]]), 6),
        "" if epoch is None else fmt(float(epoch) + 2400000.5, 1),
    ]))
# Comets first: a bare name such as "Halley" means the comet, not asteroid 2688 Halley.
bodies = [b for b in bodies if b.startswith("c;")] + [b for b in bodies if b.startswith("a;")]
small_out = os.path.join(here, "..", "src", "small-body-data.ts")
with open(small_out, "w", encoding="utf-8") as f:
    f.write("// Generated by packages/plan/scripts/build-catalogue.py — do not edit.\n")
    f.write("// NASA/JPL Small-Body Database elements (as shipped in KStars' asteroids.dat and comets.dat); see docs/plan.md.\n\n")
    f.write("/** `a;name;aliases;e;a_AU;i;node;peri;meanAnomaly;epochJD` (asteroids) or `c;name;aliases;e;q_AU;i;node;peri;perihelionJD;epochJD` (comets); angles in degrees, ecliptic J2000, TDB. */\n")
    f.write("export const SMALL_BODY_LINES = " + json.dumps("\n".join(bodies), ensure_ascii=False) + ";\n")
print(len(bodies), "small bodies ->", small_out, os.path.getsize(small_out), "bytes")
print(len(dso), "deep-sky objects,", len(stars), "stars,", len(site_lines), "sites ->", out, os.path.getsize(out), "bytes")
