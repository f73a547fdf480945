"""Make the README's dashboard pictures: python docs/dashboard_pictures.py

docs/dashboard.png: the top 1,560 px of `workplan dashboard --as-of 2024-10-20` at 1440 px wide;
docs/dashboard-phone.png: at 390×844, the first screen beside a screen further down (the matrix
and the start of the item list). Headless Chromium and chromedriver from the OS, as the browser
tests drive them; Pillow (a dependency of pdfplumber) puts the two phone screens side by side.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


def browser(profile: str):
    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=zh-CN",
                     f"--user-data-dir={profile}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def open_at(driver, page: Path, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(page.as_uri())
    while not driver.execute_script("return document.documentElement.getAttribute('data-ready')"):
        time.sleep(0.05)


def shot(driver, top: int, width: int, height: int) -> Image.Image:
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": top, "width": width, "height": height, "scale": 1}})["data"]
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="workplan-pictures-") as folder:
        page = Path(folder) / "dashboard.html"
        subprocess.run([sys.executable, "-m", "workplan", "dashboard", "--html", str(page), "--as-of", "2024-10-20",
                        "--data", str(ROOT / "data" / "items.yaml")], check=True, stderr=subprocess.DEVNULL)
        driver = browser(str(Path(folder) / "profile"))
        try:
            open_at(driver, page, 1440, 900)
            shot(driver, 0, 1440, 1560).save(DOCS / "dashboard.png", optimize=True)
            open_at(driver, page, 390, 844)
            first = shot(driver, 0, 390, 844)
            matrix = driver.execute_script("return document.getElementById('h-matrix').getBoundingClientRect().top")
            further = shot(driver, int(matrix) - 110, 390, 844)
        finally:
            driver.quit()
    picture = Image.new("RGB", (784, 846), "#9aa0a6")
    picture.paste(first, (1, 1))
    picture.paste(further, (393, 1))
    picture.save(DOCS / "dashboard-phone.png", optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
