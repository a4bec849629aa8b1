"""A real browser (Debian's Chromium through chromedriver) against a real `docflow serve`.

One browser session: open a link, see the pages, draw on the canvas, sign; the command line
then shows the signature, verify is clean, pdfsig finds the seal valid, the link is dead. The
PM logs in and sees the dashboard. With DOCFLOW_SCREENSHOTS=DIR the pages are saved there
(the README's pictures are made so: desktop and phone widths, and the dashboard).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from portal_helpers import PortalCase, pdfsig, token_of

from docflow import api

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver")),
    reason="the browser test needs Debian's chromium and chromium-driver (setup.sh --test)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status_code(url: str) -> int:
    import httpx2

    return httpx2.get(url, timeout=60).status_code


@pytest.fixture
def server(case: PortalCase, tmp_path: Path) -> Iterator[str]:
    """`docflow serve` on a free port of this machine, sealing with the test certificate."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env["DOCFLOW_ACTOR"] = "tester"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "docflow",
            "serve",
            "--port",
            str(port),
            "--seal-p12",
            str(case.p12),
            "--seal-password-file",
            str(case.password_file),
        ],
        cwd=case.ws,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    import httpx2

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _status_code(f"{base}/healthz") == 200:
                    break
            except httpx2.TransportError:
                pass
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "docflow serve did not start"
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    served = (tmp_path / "serve.log").read_text()
    assert "/s/…" in served  # requests were logged, with the token left out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """Headless Chromium with a new empty profile, no network of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chrome-profile'}",
        "--window-size=1280,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(180)
    try:
        yield driver
    finally:
        driver.quit()


def _shoot(driver: object, name: str, full_height: bool = False) -> None:
    folder = os.environ.get("DOCFLOW_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if full_height:
        height = driver.execute_script("return document.body.scrollHeight")  # type: ignore[attr-defined]
        width = driver.execute_script("return window.innerWidth")  # type: ignore[attr-defined]
        driver.set_window_size(width, min(height + 120, 4000))  # type: ignore[attr-defined]
    driver.save_screenshot(str(Path(folder) / name))  # type: ignore[attr-defined]


def _wait(driver: object, test: Callable[[object], object], seconds: float = 180) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds, poll_frequency=0.3).until(test)


def test_sign_in_a_real_browser(server: str, browser, case: PortalCase, docflow) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = browser
    link = api.Project.open(case.ws, actor="pm").share("RM-1", "client", base_url=server)
    assert link.url is not None
    driver.get(link.url)
    images = driver.find_elements(By.CSS_SELECTOR, ".pages img")
    assert len(images) >= 2
    _wait(
        driver,
        lambda d: d.execute_script(
            "const i = document.querySelector('.pages img'); return i.complete && i.naturalWidth"
        ),
    )
    assert driver.execute_script("return document.querySelector('.pages img').naturalWidth") > 500
    _shoot(driver, "portal-signing-desktop.png")
    canvas = driver.find_element(By.CSS_SELECTOR, "[data-pad] canvas")
    assert canvas.is_displayed()  # the script showed the drawing pad
    assert "built-in method" not in driver.page_source
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    strokes = ActionChains(driver).move_to_element_with_offset(canvas, -150, 10).click_and_hold()
    for dx, dy in ((30, -40), (30, 50), (30, -50), (30, 45), (40, -20)):
        strokes = strokes.move_by_offset(dx, dy)
    strokes.release().perform()
    drawn = driver.find_element(By.CSS_SELECTOR, "[data-strokes]").get_attribute("value")
    assert drawn and drawn.startswith("[[")
    driver.find_element(By.CSS_SELECTOR, "#sign-form input[name=signer]").send_keys("王晓东")
    driver.find_element(By.CSS_SELECTOR, "#sign-form input[name=consent]").click()
    _shoot(driver, "portal-signing-form.png")
    driver.find_element(By.CSS_SELECTOR, "#sign-form button[type=submit]").click()
    _wait(driver, lambda d: "签署完成" in d.page_source)

    status = docflow("status", "--json", cwd=case.ws).json()
    rm = next(d for d in status["documents"] if d["id"] == "RM-1")
    (signature,) = rm["signatures"]
    assert (signature["party"], signature["method"], signature["signer"]) == (
        "client",
        "portal",
        "王晓东",
    )
    assert rm["awaiting"] == ["vendor"]
    verify = docflow("verify", "--json", cwd=case.ws)
    assert verify.code == 0 and verify.json()["ok"], verify.out
    report = pdfsig(case.ws / "documents" / "RM-1-v1.signed.pdf")
    assert "Signature Field Name: client" in report and "Signature is Valid" in report
    event = [e for e in api.Project.open(case.ws).log() if e.type == "signature"][-1]
    assert "Chrome" in event.data["evidence"]["user_agent"]
    assert len(event.data["evidence"]["drawing_sha256"]) == 64

    assert _status_code(link.url) == 410
    driver.get(link.url)
    assert "链接已失效" in driver.page_source and "RM-1" not in driver.page_source
    assert _status_code(link.url[:-2] + "xx") == 404

    # The vendor's page at a phone's width, then the PM's dashboard.
    vendor = api.Project.open(case.ws, actor="pm").share("RM-1", "vendor", base_url=server)
    driver.set_window_size(390, 844)
    driver.get(str(vendor.url))
    _wait(
        driver,
        lambda d: d.execute_script(
            "const i = document.querySelector('.pages img'); return i.complete && i.naturalWidth"
        ),
    )
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone: no sideways scrolling
    _shoot(driver, "portal-signing-phone.png")
    case.portal.add_user("pm", "correct horse battery", "tester")
    driver.set_window_size(1280, 900)
    driver.get(f"{server}/login")
    driver.find_element(By.NAME, "name").send_keys("pm")
    driver.find_element(By.NAME, "password").send_keys("correct horse battery")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(driver, lambda d: "Projects" in d.page_source)
    assert api.Project.open(case.ws).code in driver.page_source
    _shoot(driver, "portal-dashboard.png")
    driver.get(f"{server}/p/{api.Project.open(case.ws).code}")
    assert token_of(vendor) not in driver.page_source  # a link's URL is shown only once
    _shoot(driver, "portal-project.png")
