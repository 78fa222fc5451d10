"""Headless Chromium for the tests that look at rendered pages (Debian's ``chromium`` and ``chromium-driver``)."""
import os
import shutil
from contextlib import contextmanager
from typing import Iterator

import pytest


@contextmanager
def headless_chromium() -> Iterator["object"]:
    """A Selenium driver for headless Chromium; skips the test locally, fails it in CI, if none is installed."""
    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (browser and driver_path):
        message = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
