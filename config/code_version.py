"""A fingerprint of the code and templates this process serves."""

import hashlib
from pathlib import Path

# What shapes the HTML the site renders; static files too, since a page names
# them by hashed file names that change with their content.
SOURCES = ["config", "accounts", "catalog", "reviews", "templates", "static"]


def code_version(base_dir):
    """A short hash of every source file's path and content.

    Cached pages and fragments hold markup: in Redis they outlive a restart,
    so their keys carry this, and a deploy never serves what the previous
    release cached. Reading the few hundred files takes a few milliseconds,
    once per process.
    """
    digest = hashlib.sha256()
    base_dir = Path(base_dir)
    for folder in SOURCES:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
