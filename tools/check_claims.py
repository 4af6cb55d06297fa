"""Every published claims row is registered: CI's check of claims/<chapter>.yaml against figures/<chapter>/claims.csv.

Fails (exit 1) when a registry does not load (its error names the file, the claim and the field), when a chapter
publishes a claims table without a registry, or when a published row has no entry in its chapter's registry (by id,
or by its statement for a table published before the registry). Prints, without failing, each chapter whose
publication was decided under another design than the committed registry: "design changed since publication".
"""
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from sparsediff.report import RegistryError, load_registry, registry_fingerprint
    bad, changed, n_rows = [], [], 0
    registries = {}
    for p in sorted((ROOT / "claims").glob("*.yaml")):
        try: registries[p.stem] = load_registry(p.stem, ROOT)
        except (RegistryError, FileNotFoundError) as e: bad.append(str(e))
    for csv in sorted((ROOT / "figures").glob("*/claims.csv")):
        ch = csv.parent.name
        df = pd.read_csv(csv, keep_default_na=False)
        n_rows += len(df)
        reg = registries.get(ch)
        if reg is None:
            if not (ROOT / "claims" / f"{ch}.yaml").exists(): bad.append(f"figures/{ch}/claims.csv: {len(df)} row(s) but no registry claims/{ch}.yaml")
            continue
        ids = {c.id for c in reg.claims}
        for _, r in df.iterrows():
            rid = str(r.get("id", "") or "")
            if rid and rid not in ids: bad.append(f"figures/{ch}/claims.csv: id {rid!r} is not registered in claims/{ch}.yaml")
            elif not rid and reg.by_statement(r["claim"]) is None:
                bad.append(f"figures/{ch}/claims.csv: the row {str(r['claim'])[:90]!r} has no entry in claims/{ch}.yaml")
        m = json.loads((csv.parent / "manifest.json").read_text()) if (csv.parent / "manifest.json").exists() else {}
        now, pub = registry_fingerprint(ch, ROOT), m.get("registry")
        if not pub or pub.get("sha256") != now["sha256"]:
            changed.append(f"{ch}: design changed since publication (published under "
                           + (f"sha256 {pub.get('sha256', '')[:12]} at {pub.get('commit')}" if pub else "no registry")
                           + f"; committed {now['sha256'][:12]} at {now['commit']})")
    for line in changed: print(line)
    for line in bad: print("ERROR " + line, file=sys.stderr)
    print(f"claims: {len(registries)} registries, {n_rows} published row(s), {len(bad)} problem(s), "
          f"{len(changed)} chapter(s) with a design changed since publication")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
