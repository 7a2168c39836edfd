"""Build the ESCO bundle that Passend ships (docs/taxonomy.md).

    python scripts/build_esco_bundle.py ../shared/data/esco
    python scripts/build_esco_bundle.py ~/esco-v1.2.0 --esco-version 1.2.0 \\
        --source "ESCO v1.2.0 classification, official CSV download, en and nl"

Reads a folder in either layout `load_esco` reads (the compact bilingual set
or the official ESCO CSV download) and writes `passend/taxonomy/data/
esco-<version>.tar.xz` (or --output): the compact layout, rows sorted, with a
`metadata.json` that records the version, the sources, the checksums of the
input files, the licence and the attribution. The same input gives the same
bytes, so a rebuild that changes the file changes the data.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The compact set in ../shared/data/esco: what its README.md says about it.
SHARED_SOURCE = (
    "Compact bilingual ESCO data set (../shared/data/esco): ESCO v1.1.1 concepts, "
    "English labels, descriptions and relations from the official v1.1.1 CSV downloads; "
    "Dutch occupation labels and descriptions v1.1.1; Dutch skill labels from ESCO v1.2.x "
    "(skill collections) and v1.0.3 (ESCO side of the ESCO-VDAB competence mapping); "
    "Dutch ISCO-group and skill-group labels v1.2.0."
)
MODIFIED = (
    "This is a modified and adapted version of ESCO: the data was restructured into "
    "CSV files, English and Dutch labels were merged by concept URI, Dutch labels may "
    "come from more than one ESCO release, and relations naming a concept that is not "
    "in the release were dropped."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="folder with the ESCO CSV files")
    parser.add_argument("--esco-version", default=None, help="ESCO release (default: 1.1.1)")
    parser.add_argument("--source", default=SHARED_SOURCE, help="where the input came from")
    parser.add_argument("--modified", default=MODIFIED, help="how this version differs from ESCO")
    parser.add_argument("--output", type=Path, default=None, help="bundle file to write")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from passend.taxonomy import files

    version = args.esco_version or files.BUNDLE_VERSION
    output = args.output or files.BUNDLE_PATH.with_name(f"esco-{version}{files.BUNDLE_SUFFIX}")
    try:
        data = files.read_esco(args.input)
    except files.EscoDataError as exc:
        parser.error(str(exc))
    metadata = {
        "esco_version": version,
        "source": args.source,
        "input_layout": data.layout,
        "inputs": files.input_checksums(args.input),
        "modified": args.modified,
        "built_by": "scripts/build_esco_bundle.py",
    }
    content = files.build_bundle(data, metadata=metadata)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    counts = files.bundle_counts(data)
    print(f"{output}: {len(content):,} bytes, sha256 {digest}")
    print(", ".join(f"{name} {count:,}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
