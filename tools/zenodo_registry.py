"""Write a dataset registry (CSV) for yearly files of one pinned Zenodo record.

Online, the md5 of every file is read from the record's API and written into the registry;
with --no-md5 (offline) the md5 column stays empty and the workflow reads each checksum from
the API when it downloads. Example (CLCD per-province packs, record 5816591):

  python tools/zenodo_registry.py --record 5816591 \
      --pattern 'CLCD_v01_{year}_albert_province.zip' --years 1985 1990-2021 \
      --out data/henan/registry_clcd_zip.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))

from lucarbon.acquire.zenodo import API, record_checksums, registry_rows
from lucarbon.core.io import write_csv

CLCD_CITATION = (
    "Yang, J. & Huang, X. (2021) The 30 m annual land cover dataset and its dynamics in China "
    "from 1990 to 2019. ESSD 13, 3907-3925, doi:10.5194/essd-13-3907-2021"
)


def parse_years(items: list[str]) -> list[int]:
    """'1985 1990-1992' -> [1985, 1990, 1991, 1992]."""
    years = []
    for item in items:
        first, _, last = item.partition("-")
        years.extend(range(int(first), int(last or first) + 1))
    return years


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--record", required=True, help="Zenodo record id, e.g. 5816591")
    parser.add_argument("--pattern", required=True, help="file name with {year}")
    parser.add_argument("--years", nargs="+", required=True, help="years or ranges a-b")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--dataset", default="landcover")
    parser.add_argument("--licence", default="CC-BY-4.0")
    parser.add_argument("--citation", default=CLCD_CITATION)
    parser.add_argument("--api", default=API, help="API URL template with {record}")
    parser.add_argument("--no-md5", action="store_true", help="do not contact the API")
    args = parser.parse_args()
    checksums = None if args.no_md5 else record_checksums(args.api.format(record=args.record))
    rows = registry_rows(
        args.record,
        args.pattern,
        parse_years(args.years),
        args.dataset,
        args.licence,
        args.citation,
        checksums,
    )
    write_csv(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
