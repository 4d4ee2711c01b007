"""The widget at a desk, in headless Chromium: helpful / not helpful under answers, "Talk to a person"."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("selenium")

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from chatbot.store import open_store
from tests.http.test_browser import (  # the browser fixtures and helpers, shared
    KB_YAML,
    bot_messages,
    browser,  # noqa: F401 - a fixture
    pytestmark,  # noqa: F401 - skipped without Chromium
    screenshot,
    wait,
    workdir,  # noqa: F401 - a fixture
)
from tests.support.live_server import start_server

HANDOFF = """\
handoff:
  message: "Our nurses answer on the phone and by e-mail."
  url: "https://help.example.org/contact"
  email: "nurses@example.org"
  phone: "+44 20 7946 0000"
  hours: "Mon-Fri 9:00-17:00"
"""


def test_feedback_buttons_and_talk_to_a_person(browser, workdir):  # noqa: F811 - fixtures
    kb = workdir / "desk.yaml"
    kb.write_text(KB_YAML + HANDOFF, encoding="utf-8")
    url = f"sqlite:///{workdir}/events.db"
    with start_server(workdir, "--kb", str(kb), "--store", url) as server:
        browser.get(server.url + "/")
        box = wait(browser, lambda: browser.find_element(By.ID, "faqbot-input"))
        box.send_keys("How often should I water tomatoes?", Keys.ENTER)
        wait(browser, lambda: bot_messages(browser, "answer"))
        answer = bot_messages(browser, "answer")[-1]
        votes = answer.find_elements(By.CSS_SELECTOR, ".faqbot-vote")
        assert [v.text for v in votes] == ["Yes", "No"]
        votes[1].click()
        wait(browser, lambda: "Thank you for your feedback." in answer.text)

        browser.find_element(By.CSS_SELECTOR, ".faqbot-person").click()
        wait(browser, lambda: bot_messages(browser, "handoff"))
        handoff = bot_messages(browser, "handoff")[-1]
        links = {a.text: a.get_attribute("href") for a in handoff.find_elements(By.CSS_SELECTOR, ".faqbot-contacts a")}
        assert links["https://help.example.org/contact"] == "https://help.example.org/contact"
        assert links["nurses@example.org"] == "mailto:nurses@example.org"
        assert links["+44 20 7946 0000"] == "tel:+442079460000"
        assert "Mon-Fri 9:00-17:00" in handoff.text
        assert not handoff.find_elements(By.CSS_SELECTOR, ".faqbot-vote")  # feedback only under answers
        screenshot(browser, "widget-desk.png")
    time.sleep(0.2)
    store = open_store(url)
    assert [r[2] for r in store.replies()] == ["answer", "handoff"]
    (fb,) = store.feedback()
    assert fb[2] in (False, 0) and fb[4] == "watering"
