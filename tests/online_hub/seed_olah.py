"""Tell olah's offline cache which commit ``main`` and each tag are, for every mirrored git repo.

Run by the Python that has olah installed: ``python seed_olah.py MIRRORS_DIR REPOS_PATH``.
Without this, olah 0.5.4 in offline mode answers 401 RepoNotFound (instead of 404 EntryNotFound)
for a file a repo does not have and for ``GET /api/models/{id}``, and transformers treats that as
fatal when it probes optional files such as ``added_tokens.json``. The file format is olah's own
(``write_cache_request``), which is why the hub venv pins ``olah==0.5.4``.
"""
import asyncio
import json
import subprocess
import sys
from pathlib import Path

from olah.utils.cache_utils import write_cache_request
from olah.utils.repo_utils import get_resolved_commit_save_path


def git(repo: Path, *args: str) -> str:
    """Output of a git command in ``repo``, stripped."""
    return subprocess.check_output(["git", "-C", str(repo), *args], text=True).strip()


def seed(mirrors: Path, repos_path: Path) -> None:
    """Record the commit of ``main`` and of every tag for every ``mirrors/<type>/<org>/<name>``.

    ``meta_head.json`` (what ``GET /api/models/{id}`` answers without a revision) is written for ``main``.
    """
    for repo in sorted(mirrors.glob("*/*/*")):
        repo_type, org, name = repo.relative_to(mirrors).parts
        tags = git(repo, "tag", "--list").split()
        for revision in ["main", *tags]:
            sha = git(repo, "rev-parse", f"{revision}^{{commit}}")
            resolved = Path(get_resolved_commit_save_path(str(repos_path), repo_type, org, name, revision))
            resolved.parent.mkdir(parents=True, exist_ok=True)
            asyncio.run(write_cache_request(str(resolved), 200, {}, sha.encode("ascii")))
            if revision == "main":
                head = {"id": f"{org}/{name}", "sha": sha, "lastModified": git(repo, "log", "-1", "--format=%cI", sha)}
                (resolved.parent / "meta_head.json").write_text(json.dumps(head))


if __name__ == "__main__":
    seed(Path(sys.argv[1]), Path(sys.argv[2]))
