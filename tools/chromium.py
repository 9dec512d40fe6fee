"""The Chromium that the browser tests and tools/screenshots.py drive through Playwright:
Debian's own where it is installed, and the switches both launch it with."""

import os
import subprocess
import sys
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Even requests Playwright's routing never sees (the browser's own) resolve nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    # The production tier's throwaway certificate: Chromium fetches a service worker's
    # script itself, and only this lets it trust that certificate as the pages do
    # (ignore_https_errors covers the pages only).
    "--ignore-certificate-errors",
]
DEBIAN_CHROMIUM = "/usr/bin/chromium"


def chromium_executable():
    """An installed Chromium; Playwright's own download only where there is none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEBIAN_CHROMIUM):
        if candidate and Path(candidate).is_file():
            return candidate
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    return None  # Playwright then launches the build it just installed.


def launch(playwright):
    """Chromium, started with CHROMIUM_ARGS."""
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
