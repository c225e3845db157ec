"""Which province a boundary file's feature is: names, transliterations, ISO codes.

Boundary files spell the provinces in many ways ("Sari Pul", "Nimroz",
"Paktya", upper case, with "Province" appended); a feature is matched by
comparing normalised spellings against the names in
``sim/world/data/provinces.csv``, the aliases below and the ISO 3166-2 codes.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from sim.text import closest
from sim.world.geography import load_geography

# Transliterations seen in common boundary files (GADM, OCHA, geoBoundaries,
# AGCHO, Wikipedia), beside the names in sim/world/data/provinces.csv. One
# province a line: its name, a colon, its other spellings; a name may take
# two lines.
_ALIAS_TABLE = """
Badakhshan: Badakshan, Badakhshon, Badachschan
Badghis: Badghes, Badgis, Badghiz
Baghlan: Baghlaan, Baglan
Balkh: Balk
Bamyan: Bamiyan, Bamian, Bamyaan
Daykundi: Daikundi, Dai Kundi, Day Kundi, Daykondi, Daikondi
Farah: Farrah
Faryab: Fariab, Faryaab
Ghazni: Ghanzi, Ghazny, Ghaznin
Ghor: Ghowr, Ghur, Ghore
Helmand: Hilmand, Helmend
Herat: Hirat, Harat
Jowzjan: Jawzjan, Jozjan, Juzjan, Jowzjon, Jauzjan
Kabul: Kabol, Kaboul
Kandahar: Qandahar, Kandehar, Qandehar
Kapisa: Kapissa, Kapesa
Khost: Khowst, Khost (Paktya), Khust
Kunar: Kunarha, Konar, Konarha, Kunarh
Kunduz: Kondoz, Qunduz, Kundoz, Konduz
Laghman: Lagman, Laghmaan
Logar: Lowgar, Loghar
Nangarhar: Ningarhar, Nangrahar, Nangahar
Nimruz: Nimroz, Nimrooz, Nimrouz
Nuristan: Nooristan, Nurestan, Nuristaan
Paktia: Paktya, Paktiya
Paktika: Paktyka, Paktica
Panjshir: Panjsher, Panjsheer, Panjshayr, Panj Shir, Panjshir Valley
Parwan: Parvan, Parwaan
Samangan: Samangaan
Sar-e Pol: Sari Pul, Sar-e-Pul, Sar-e Pul, Sar-i-Pul, Sar-i Pul, Sar-i-Pol
Sar-e Pol: Saripul, Sar e Pol, Sar-e-Pol, Sare Pol
Takhar: Takhaar, Takar
Uruzgan: Urozgan, Oruzgan, Orozgan, Uruzgaan
Wardak: Maidan Wardak, Maydan Wardak, Vardak, Wardag
Zabul: Zabol, Zaboul
"""


def _parse_aliases(table: str) -> dict[str, tuple[str, ...]]:
    """``name: other, other`` lines as a dict, lines of one name joined."""
    out: dict[str, tuple[str, ...]] = {}
    for line in table.strip().splitlines():
        name, spellings = line.split(":", 1)
        extra = tuple(s.strip() for s in spellings.split(","))
        out[name.strip()] = out.get(name.strip(), ()) + extra
    return out


ALIASES: dict[str, tuple[str, ...]] = _parse_aliases(_ALIAS_TABLE)
# Property keys tried, in order, after lower-casing and dropping "_", "-", " ".
NAME_KEYS = (
    "name",
    "shapename",
    "name1",
    "adm1name",
    "adm1en",
    "admin1name",
    "admin1",
    "province",
    "provincename",
    "provname",
    "prvname",
    "nameen",
    "nameeng",
    "namelatin",
    "nom",
)
ISO_KEYS = ("iso31662", "shapeiso", "iso", "isocode", "iso2", "code")
_WORDS = ("province", "wilayat", "velayat", "welayat")


def normalise(text: str) -> str:
    """Lower case, no accents, no "province", letters and digits only."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    for word in _WORDS:
        t = t.replace(word, " ")
    return "".join(c for c in t if c.isalnum())


def property_key(key: str) -> str:
    """A property name as compared with :data:`NAME_KEYS`: lower case, alphanumeric."""
    return "".join(c for c in key.lower() if c.isalnum())


@cache
def province_lookup() -> dict[str, int]:
    """Normalised names, aliases and ISO codes → province id."""
    geo = load_geography()
    out: dict[str, int] = {}
    for i, name in enumerate(geo.names):
        for variant in (name, *ALIASES.get(name, ())):
            out.setdefault(normalise(variant), i)
        out[normalise(geo.iso[i])] = i  # "AF-KDZ" → "afkdz"
    return out


def suggest(text: str) -> str | None:
    """The province whose name or alias is closest to ``text``, if any is close."""
    geo = load_geography()
    variants = {
        normalise(v): name for name in geo.names for v in (name, *ALIASES.get(name, ()))
    }
    hit = closest(normalise(text), variants, cutoff=0.6)
    return variants[hit] if hit is not None else None
