"""What the tests need beside the Python packages: Debian's Chromium (Playwright drives
it; no browser is downloaded) and the npm packages in assistant/web (axe-core), from the lock file."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.settings import WEB_DIR, environment

CHROMIUM = Path("/usr/bin/chromium")
WEB_PACKAGES = WEB_DIR


def apt_install(package: str) -> bool:
    """Install a Debian package when we may (root with apt-get); False when we may not or it failed."""
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return False
    print(f"Installing {package} with apt-get ...", flush=True)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        if (
            subprocess.run(
                command, env=environment(DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL
            ).returncode
            != 0
        ):
            return False
    return True


def _stop(problem: str) -> None:
    print(problem, file=sys.stderr)
    sys.exit(1)


def ensure_chromium() -> None:
    if not CHROMIUM.exists() and not apt_install("chromium"):
        _stop(f"The widget tests need Chromium at {CHROMIUM}. Install it as root: apt-get install -y chromium")


def ensure_npm_packages() -> None:
    """`npm ci` from assistant/web/package-lock.json when node_modules is missing."""
    if (WEB_PACKAGES / "node_modules").is_dir():
        return
    if not shutil.which("npm") and not apt_install("npm"):
        _stop("The widget tests need npm for axe-core. Install Node.js and npm, e.g.: apt-get install -y npm")
    print("Installing the widget's npm packages (npm ci in assistant/web) ...", flush=True)
    if subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB_PACKAGES).returncode != 0:
        _stop("npm ci in assistant/web failed; see the messages above.")
