"""The web chat in headless Chromium (Debian's chromium and chromium-driver), driven by selenium.

Both ways of embedding are exercised: the page at ``/``, and the floating widget that a help
centre on another origin adds with one script tag. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server needs the 'server' extra")
pytest.importorskip("selenium")

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import ROOT
from tests.support.live_server import start_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "artifacts"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

KB_YAML = """\
name: garden FAQ
greeting: "Garden FAQ: tips from one booklet."
disclaimer: "General gardening tips, not professional advice."
urgent:
  - id: poison
    patterns: ['\\bswallowed\\b', '\\bpoison']
    message: "If someone swallowed garden chemicals, call the poison line now."
entries:
  - id: watering
    title: Watering tomatoes
    topic: Care
    question: How often should I water tomatoes?
    alternates: [tomato care]
    answer: "Water tomatoes deeply two or three times a week, more in hot weather."
    source: Booklet, page 3
    related: [feeding, aphids]
  - id: feeding
    title: Feeding tomatoes
    topic: Care
    question: How do I feed tomato plants?
    alternates: [tomato care]  # the same phrasing twice: a tie, so the bot asks which
    answer: "Feed tomatoes every two weeks with a high-potash liquid feed once the first fruits set."
    source: Booklet, page 4
    related: [watering]
  - id: aphids
    title: Getting rid of aphids
    topic: Problems
    question: How do I get rid of aphids?
    alternates: [greenfly on my plants]
    answer: "Rub aphids off by hand or spray them with soapy water; ladybirds eat them too."
    source: Booklet, page 7
    related: [watering]
"""

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Help centre</title></head>
<body style="font-family: sans-serif; background: #fafafa">
  <h1>Acme help centre</h1>
  <p>Articles about our garden products.</p>
  <script src="{server}/widget.js" defer></script>
</body></html>
"""


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="chatbot-browser-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="module")
def host_site(workdir: Path) -> Iterator[tuple[str, Path]]:
    """A static 'help centre' on another origin; the page itself is written once the server runs."""
    site = workdir / "site"
    site.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", site
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(workdir: Path, host_site: tuple[str, Path]) -> Iterator[str]:
    kb = workdir / "garden.yaml"
    kb.write_text(KB_YAML, encoding="utf-8")
    with start_server(workdir, "--kb", str(kb), "--cors-origin", host_site[0]) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser(workdir: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1100,850", f"--user-data-dir={workdir / 'profile'}"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(driver: webdriver.Chrome, condition, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(lambda _: condition())


def bot_messages(driver: webdriver.Chrome, kind: str) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, f".faqbot-bot[data-kind='{kind}']")


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    assert driver.save_screenshot(str(path))
    return path


def test_chat_page_answers_and_follows_a_related_topic(browser, server):
    browser.get(server + "/")
    wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, ".faqbot-greeting").text)
    assert browser.find_element(By.CSS_SELECTOR, ".faqbot-title").text.lower() == "garden faq"
    disclaimer = browser.find_element(By.CSS_SELECTOR, ".faqbot-disclaimer")
    assert disclaimer.text == "General gardening tips, not professional advice."

    box = browser.find_element(By.ID, "faqbot-input")
    assert browser.switch_to.active_element == box  # ready to type, no mouse needed
    box.send_keys("how often should I water my tomatoes?", Keys.ENTER)
    wait(browser, lambda: bot_messages(browser, "answer"))
    answer = bot_messages(browser, "answer")[0]
    assert answer.get_attribute("data-entry-id") == "watering"
    assert "two or three times a week" in answer.find_element(By.CSS_SELECTOR, ".faqbot-answer").text
    assert answer.find_element(By.CSS_SELECTOR, ".faqbot-source").text == "Source: Booklet, page 3"

    chips = answer.find_elements(By.CSS_SELECTOR, ".faqbot-related .faqbot-chip")
    assert [c.text for c in chips] == ["Feeding tomatoes", "Getting rid of aphids"]
    chips[1].click()
    wait(browser, lambda: len(bot_messages(browser, "answer")) == 2)
    followed = bot_messages(browser, "answer")[1]
    assert followed.get_attribute("data-entry-id") == "aphids"
    assert "ladybirds eat them" in followed.text
    users = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".faqbot-user")]
    assert users == ["how often should I water my tomatoes?", "Getting rid of aphids"]
    screenshot(browser, "browser.png")


def test_a_new_chat_clears_the_log_and_does_not_follow_on(browser, server):
    open_and_ask(browser, server, "how often should I water my tomatoes?", "answer")
    box = browser.find_element(By.ID, "faqbot-input")
    box.send_keys("2", Keys.ENTER)  # the second related topic, read against the answer's context
    wait(browser, lambda: len(bot_messages(browser, "answer")) == 2)
    assert bot_messages(browser, "answer")[1].get_attribute("data-entry-id") == "aphids"

    browser.find_element(By.CSS_SELECTOR, ".faqbot-new").click()
    assert not browser.find_elements(By.CSS_SELECTOR, ".faqbot-user")
    assert [g.text for g in browser.find_elements(By.CSS_SELECTOR, ".faqbot-greeting")] == [
        "Garden FAQ: tips from one booklet."]
    assert browser.switch_to.active_element == box
    box.send_keys("2", Keys.ENTER)  # nothing offered in this chat: "2" picks nothing
    wait(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".faqbot-bot[data-kind]"))
    reply = browser.find_elements(By.CSS_SELECTOR, ".faqbot-bot[data-kind]")[0]
    assert reply.get_attribute("data-entry-id") != "aphids"
    screenshot(browser, "browser-new-chat.png")


def open_and_ask(driver: webdriver.Chrome, url: str, text: str, kind: str) -> WebElement:
    """Open the chat page, type ``text`` into the box that has the focus, and return the first reply of ``kind``."""
    driver.get(url + "/")
    wait(driver, lambda: driver.find_element(By.CSS_SELECTOR, ".faqbot-greeting").text)
    driver.switch_to.active_element.send_keys(text, Keys.ENTER)  # ready to type, no mouse needed
    wait(driver, lambda: bot_messages(driver, kind))
    return bot_messages(driver, kind)[0]


def test_keyboard_only_urgent_and_no_html_injection(browser, server):
    open_and_ask(browser, server, "greenfly on my plants", "answer")

    # Tab from the log to the first related chip and press Enter: no mouse.
    chip = bot_messages(browser, "answer")[0].find_element(By.CSS_SELECTOR, ".faqbot-chip")
    browser.execute_script("arguments[0].focus()", browser.find_element(By.CSS_SELECTOR, ".faqbot-log"))
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == chip
    chip.send_keys(Keys.ENTER)
    wait(browser, lambda: len(bot_messages(browser, "answer")) == 2)
    assert bot_messages(browser, "answer")[1].get_attribute("data-entry-id") == "watering"

    box = browser.find_element(By.ID, "faqbot-input")
    box.send_keys("my son swallowed slug pellets", Keys.ENTER)
    wait(browser, lambda: bot_messages(browser, "urgent"))
    urgent = bot_messages(browser, "urgent")[0]
    assert urgent.get_attribute("role") == "alert"
    assert "poison line" in urgent.text
    assert urgent.value_of_css_property("border-left-color") == "rgba(176, 0, 32, 1)"

    box.send_keys("tomato care", Keys.ENTER)
    wait(browser, lambda: bot_messages(browser, "clarify"))
    options = bot_messages(browser, "clarify")[0].find_elements(By.CSS_SELECTOR, ".faqbot-option")
    numbers, titles = zip(*(o.text.split(". ", 1) for o in options), strict=True)
    assert numbers == ("1", "2")
    assert set(titles) == {"Feeding tomatoes", "Watering tomatoes"}
    picked = options[1].get_attribute("data-entry-id")
    options[1].send_keys(Keys.ENTER)
    wait(browser, lambda: len(bot_messages(browser, "answer")) == 3)
    assert bot_messages(browser, "answer")[2].get_attribute("data-entry-id") == picked

    payload = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold</b>'
    box.send_keys(payload, Keys.ENTER)
    wait(browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, ".faqbot-user")) == 6)
    assert browser.find_elements(By.CSS_SELECTOR, ".faqbot-user")[-1].text == payload
    assert not browser.find_elements(By.CSS_SELECTOR, ".faqbot-log img, .faqbot-log b")
    assert browser.execute_script("return document.body.dataset.pwned") is None
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {server}  # no requests anywhere else


def test_floating_widget_on_another_site(browser, server, host_site):
    site_url, site_dir = host_site
    (site_dir / "index.html").write_text(HOST_PAGE.format(server=server), encoding="utf-8")
    browser.get(site_url + "/")
    launcher = wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, ".faqbot-launcher"))
    panel = browser.find_element(By.ID, "faqbot-panel")
    assert not panel.is_displayed()
    assert launcher.get_attribute("aria-expanded") == "false"

    launcher.send_keys(Keys.ENTER)  # keyboard opens it and focuses the question box
    wait(browser, panel.is_displayed)
    assert launcher.get_attribute("aria-expanded") == "true"
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "faqbot-input"
    wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, ".faqbot-greeting").text)
    box.send_keys("How do I feed tomato plants?", Keys.ENTER)  # cross-origin call, allowed by CORS
    wait(browser, lambda: bot_messages(browser, "answer"))
    assert bot_messages(browser, "answer")[0].get_attribute("data-entry-id") == "feeding"
    screenshot(browser, "browser-widget.png")

    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, lambda: not panel.is_displayed())
    assert browser.switch_to.active_element == launcher


@pytest.fixture(scope="module")
def default_server(workdir: Path) -> Iterator[str]:
    with start_server(workdir) as running:  # the shipped knowledge base
        yield running.url


def test_an_urgent_reply_offers_what_the_question_asked_about(browser, default_server):
    urgent = open_and_ask(browser, default_server, "my mum has lung mets and she is coughing a lot, is that normal",
                          "urgent")
    assert urgent.text.index("medical emergency") < urgent.text.index("You asked about")  # guidance first
    chip = urgent.find_element(By.CSS_SELECTOR, ".faqbot-chip")
    assert chip.get_attribute("data-entry-id") == "lung-symptoms"
    screenshot(browser, "browser-urgent.png")
    chip.send_keys(Keys.ENTER)
    wait(browser, lambda: bot_messages(browser, "answer"))
    assert bot_messages(browser, "answer")[0].get_attribute("data-entry-id") == "lung-symptoms"
