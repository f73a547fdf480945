"""Three versions of a registry as two bureaus make them, for the merge-driver and diff cases.

From a registry (the base), `ours` adds a report on every 50th item that is 推进中 and `theirs`
on every 50th from the 25th; both report on every 100th item when it is joint (its lead units
report each their own share), so the merge has clean items, items changed on one side and items
changed on both. A git repository with base and ours as two commits serves `workplan diff`.

Usage: python bench/versions.py REGISTRY FOLDER
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def write_versions(registry: Path, folder: Path) -> dict[str, Path]:
    from workplan.store.load import load_registry
    from workplan.store.writer import AppendProgress, edit_text

    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.yaml" for name in ("base", "ours", "theirs")}
    repo = folder / "repo"
    if all(p.is_file() for p in paths.values()) and (repo / ".git").is_dir():
        return {**paths, "repo": repo}
    text = registry.read_text(encoding="utf-8")
    reg = load_registry(registry)
    ours, theirs = [], []
    for n, item in enumerate(reg.items):
        if item.status.value != "in_progress":
            continue
        units = reg.expanded_leads(item)
        if n % 100 == 0 and len(units) > 1:  # both bureaus report on the same joint item
            ours.append(AppendProgress(item.id, _entry(units[0], "2024-12-30", "我方：本单位任务推进中")))
            theirs.append(AppendProgress(item.id, _entry(units[1], "2024-12-31", "对方：本单位任务推进中")))
        elif n % 50 == 0:
            ours.append(AppendProgress(item.id, _entry(units[0], "2024-12-30", "我方：推进中")))
        elif n % 50 == 25:
            theirs.append(AppendProgress(item.id, _entry(units[-1], "2024-12-31", "对方：推进中")))
    paths["base"].write_text(text, encoding="utf-8")
    paths["ours"].write_text(edit_text(text, ours), encoding="utf-8")
    paths["theirs"].write_text(edit_text(text, theirs), encoding="utf-8")

    (repo / "data").mkdir(parents=True, exist_ok=True)
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.cn"]
    subprocess.run([*git, "init", "-q"], check=True)
    for name in ("base", "ours"):
        (repo / "data" / "items.yaml").write_text(paths[name].read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([*git, "add", "data/items.yaml"], check=True)
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", name], check=True)
    return {**paths, "repo": repo}


def _entry(unit: str, day: str, text: str) -> dict:
    import datetime as dt

    return {"date": dt.date.fromisoformat(day), "by": unit, "status": "in_progress", "text": text}


if __name__ == "__main__":
    for name, path in write_versions(Path(sys.argv[1]), Path(sys.argv[2])).items():
        print(name, path)
