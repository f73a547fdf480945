"""The registry in a git repository: a file as it was at a revision, and the merge driver's setup.

Only the `git` program is used (no library), as the person at the keyboard would.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from workplan.core.labels import Message, Refusal, t

DRIVER = "workplan"
ATTRIBUTE = f"merge={DRIVER}"


class GitError(Refusal):
    """git refused or is missing; worded by catalogue key, one line saying why."""


def git(*args: str, cwd: Path, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise GitError("git.missing") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError("git.failed", command=" ".join(args), reason=message[-1] if message else Message("git.failed_reason"))
    return done.stdout.decode("utf-8")


def repo_root(folder: Path) -> Path:
    """The top folder of the work tree holding `folder`; GitError if it is not in one."""
    try:
        return Path(git("rev-parse", "--show-toplevel", cwd=folder).strip())
    except GitError:
        raise GitError("git.not_repo", folder=folder) from None


def text_at(revision: str, path: Path) -> str:
    """The file's text as it was at `revision` (a commit, branch, tag, HEAD~3 …)."""
    path = Path(path).resolve()
    root = repo_root(path.parent)
    relative = path.relative_to(root.resolve()).as_posix()
    try:
        data = subprocess.run(["git", "show", f"{revision}:{relative}"], cwd=root, capture_output=True)
    except FileNotFoundError:
        raise GitError("git.missing") from None
    if data.returncode != 0:
        message = data.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError("git.not_at", path=relative, revision=revision,
                       reason=message[-1] if message else Message("git.not_found"))
    return data.stdout.decode("utf-8-sig")


def revision_before(when: str, folder: Path) -> str:
    """The last commit on HEAD made before `when` ("7 days ago", "2024-06-30"); GitError if none."""
    commit = git("rev-list", "-1", f"--before={when}", "HEAD", cwd=folder).strip()
    if not commit:
        raise GitError("git.no_commit_before", when=when)
    return commit


def merge_base(one: str, other: str, folder: Path) -> str:
    """Where the branch `other` left `one`: what a pull request's own changes are measured from."""
    return git("merge-base", one, other, cwd=folder).strip()


def is_revision(text: str, folder: Path) -> bool:
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}"], cwd=folder,
                          capture_output=True).returncode == 0


# -- setup ----------------------------------------------------------------------------------------

@dataclass
class SetupResult:
    root: Path
    attributes: Path
    added_line: str | None       # the .gitattributes line added (None: it was there)
    config: dict[str, str]       # the merge.workplan.* values now set
    changed_config: bool


def driver_command() -> str:
    """How git runs the driver: this Python with this workplan, so the driver is the same code."""
    return f"{shlex.quote(sys.executable)} -m workplan merge-driver %O %A %B %P"


def setup_git(registry: Path, *, folder: Path | None = None, lang: str = "zh") -> SetupResult:
    """Install the merge driver for the registry file in its repository, idempotently.

    Adds `<registry path> merge=workplan` to the repository's .gitattributes (committed, so every
    clone has it) and sets merge.workplan.name/driver in the clone's own git config (which git
    never copies: every clone runs this once, or `workplan init` does it). The driver's name is
    worded in `lang`; a name in the other language is kept (it is only a description).
    """
    registry = Path(registry).resolve()
    root = repo_root(folder or registry.parent).resolve()
    try:
        relative = registry.relative_to(root).as_posix()
    except ValueError:
        raise GitError("git.outside", registry=registry, root=root) from None
    pattern = "/" + relative if " " not in relative else "/" + relative.replace(" ", "[[:space:]]")
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    added = None
    if not any(_names_driver(line, pattern) for line in existing.splitlines()):
        added = f"{pattern} {ATTRIBUTE}"
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        with attributes.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(f"{prefix}{added}\n")
    wanted = {f"merge.{DRIVER}.name": t("merge.driver_name", lang), f"merge.{DRIVER}.driver": driver_command()}
    names = {t("merge.driver_name", other) for other in ("zh", "en")}
    changed = False
    for key, value in wanted.items():
        current = git("config", "--local", "--get", key, cwd=root, check=False).strip()
        if key.endswith(".name") and current in names:
            wanted[key] = current
        elif current != value:
            git("config", "--local", key, value, cwd=root)
            changed = True
    return SetupResult(root, attributes, added, wanted, changed)


def _names_driver(line: str, pattern: str) -> bool:
    parts = line.split()
    return bool(parts) and parts[0] in (pattern, pattern.lstrip("/")) and ATTRIBUTE in parts[1:]
