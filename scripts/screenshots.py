"""Screenshots of each role's home page for the README (`make screenshots`).

Builds a fresh demo database (var/screenshots.sqlite3: migrate, load_esco, seed_demo,
publish_statement), serves it on a free local port, signs in as each demo
persona in Debian's chromium (Playwright, no browser download) and writes
docs/screenshots/<role>-<width>.png at 1280 and 390 px wide, in Dutch, the
default language. The 390 px shots show the whole page; the 1280 px ones the
first screen.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DATABASE = ROOT / "var" / "screenshots.sqlite3"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "passend-demo-2026"  # noqa: S105 (the demo personas' published password, README)
ROLES = {
    "admin": "alice@passend.test",
    "advisor": "bob@passend.test",
    "candidate": "carla@passend.test",
    "employer": "dave@passend.test",
}
WIDTHS = (1280, 390)
HEIGHT = 844


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def shoot(base: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        for role, email in ROLES.items():
            for width in WIDTHS:
                context = browser.new_context(
                    base_url=base, viewport={"width": width, "height": HEIGHT}, locale="nl-NL"
                )
                page = context.new_page()
                page.goto("/accounts/login/")
                form = page.locator("form").filter(has=page.locator("input[name=password]"))
                form.locator("input[name=login]").fill(email)
                form.locator("input[name=password]").fill(PASSWORD)
                with page.expect_navigation():
                    form.locator("input[name=password]").press("Enter")
                page.goto("/")
                path = OUT / f"{role}-{width}.png"
                page.screenshot(path=str(path), full_page=width < 1000)
                written.append(path)
                context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}"}
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("load_esco", env=env)
    manage("seed_demo", env=env)
    manage("publish_statement", env=env)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/accounts/login/")
        for path in shoot(base):
            print(path.relative_to(ROOT))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
