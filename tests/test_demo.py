"""The Gradio demo of notebook 14 answers in a real browser: headless Chromium types a tweet and reads the label."""
import os

import pytest

from browser import headless_chromium

LABELS = {"negative", "neutral", "positive"}


@pytest.fixture(scope="module")
def demo_url():
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from course_utils import course_model_path, saved_tweet_classifier
    from course_utils.demo import build_demo
    from course_utils.serving import free_port

    demo = build_demo(saved_tweet_classifier() or course_model_path("sentiment"))
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        yield demo.local_url
    finally:
        demo.close()


def test_demo_classifies_a_tweet_typed_in_the_browser(demo_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with headless_chromium() as browser:
        browser.get(demo_url)
        wait = WebDriverWait(browser, 60)
        box = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "textarea"))
        box.send_keys("Thanks for the upgrade, best flight I have had in years!")
        browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click()
        # gr.Label writes the winning label in an <h2> inside its block once the answer has arrived
        label = wait.until(lambda b: next((h.text.strip() for h in b.find_elements(By.CSS_SELECTOR, "h2")
                                           if h.text.strip().lower() in LABELS), None))
    assert label.lower() in LABELS
