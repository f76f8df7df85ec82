"""Where the browser tests find their outside tools, and what is missing.

Chromium comes from Debian (`apt-get install chromium`), Java from Debian
(`default-jre-headless`), the Nu Html Checker and axe-core from npm
(pinned in package.json / package-lock.json; `make test` runs `npm ci` when
the lock file changes). Nothing is downloaded at test time.
"""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def missing_browser_tools():
    """A list of what is missing, each with how to get it; empty when ready."""
    missing = []
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        missing.append(
            f"no Chromium at {CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)"
        )
    if shutil.which("java") is None:
        missing.append("no java for the HTML checker (apt-get install default-jre-headless)")
    if not (VNU_JAR.is_file() and AXE_JS.is_file()):
        if shutil.which("npm") is None:
            missing.append(
                "no vnu-jar/axe-core in node_modules, and no npm for `make test` to install "
                "them with (apt-get install npm)"
            )
        else:
            missing.append("no vnu-jar/axe-core in node_modules (`make test` runs npm ci)")
    return missing
