"""The web chat in a real browser: Debian's headless Chromium driven by Selenium through
Debian's chromium-driver (no browser download). The server runs on 127.0.0.1 in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WIDTH = 390
# Quiet, offline Chromium: no background fetches, updates, sync or first-run pages.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", "--force-device-scale-factor=1", f"--window-size={WIDTH},900"]


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A portal's web server (another origin: localhost, another port) serving `folder`:
    (origin, folder)."""
    import functools
    import http.server

    folder = tmp_path / "portal"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="portal", daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}", folder
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@contextlib.contextmanager
def _serve_thread(web_plans: tuple[Path, Path], tmp_path: Path,
                  origins: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """The web app over the small index on a free port of 127.0.0.1, in a thread of its own:
    (base URL, usage log)."""
    from knowledge import KnowledgeBase
    from knowledge.usage import UsageLog
    from web import WebConfig, WebState, create_app, serve

    kb = KnowledgeBase.open(web_plans[1])
    usage = UsageLog.open(tmp_path / "usage.sqlite")
    app = create_app(WebState(kb=kb, usage=usage), WebConfig(knowledge_dir=web_plans[0], allowed_origins=origins))
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    bound: list[int] = []
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)

        def started(port: int) -> None:
            bound.append(port)
            ready.set()

        try:
            loop.run_until_complete(serve(app, "127.0.0.1", 0, stop=stop, on_started=started))
        finally:
            ready.set()

    thread = threading.Thread(target=run, name="web-test-server", daemon=True)
    thread.start()
    assert ready.wait(30) and bound, "the web server did not start"
    try:
        yield f"http://127.0.0.1:{bound[0]}", usage
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()
        usage.close()
        kb.close()


@pytest.fixture
def live_server(web_plans: tuple[Path, Path], tmp_path: Path,
                portal: tuple[str, Path]) -> Iterator[tuple[str, Any]]:
    """The web chat, embeddable by the portal: (base URL, usage log)."""
    with _serve_thread(web_plans, tmp_path, (portal[0],)) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium at 390 px wide; skipped where Chromium or its driver is missing."""
    if not CHROMIUM or not DRIVER:
        pytest.skip("no Chromium here: apt-get install chromium chromium-driver (.ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(30)
    # A desktop window cannot be narrower than 500 px: emulate the phone's viewport instead.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        yield driver
    finally:
        driver.quit()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_ask_page_more_card_and_screenshot(live_server: tuple[str, Any], browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, usage = live_server
    wait = WebDriverWait(browser, 20)
    browser.get(base + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#examples button")) == 3
    box = browser.find_element(By.ID, "question")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=question]").text
    box.click()
    box.send_keys("hồ sơ thủ tục hành chính", Keys.ENTER)  # Enter sends, as in a chat app

    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.bot .result")) >= 3)
    first = browser.find_elements(By.CSS_SELECTOR, ".msg.bot")[0]
    assert first.find_element(By.CSS_SELECTOR, ".header").text.startswith("🔎 Kết quả 1–3")
    sources = first.find_elements(By.CSS_SELECTOR, ".source")
    assert sources[0].text == "📌 Theo Kế hoạch 77/KH-UBND ngày 05/01/2024 (Quảng Trị)"
    assert sources[0].find_element(By.TAG_NAME, "a").get_attribute("href") == \
        "https://example.gov.vn/van-ban/77-kh-ubnd"
    assert first.find_elements(By.CSS_SELECTOR, "blockquote strong")  # the figure in bold
    assert browser.find_element(By.ID, "answers").get_attribute("aria-live") == "polite"

    # "Xem thêm": the next page arrives as a new answer, numbered on.
    first.find_element(By.CSS_SELECTOR, "button.more").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.bot")) == 2
               and d.find_elements(By.CSS_SELECTOR, ".msg.bot")[1].find_elements(By.CSS_SELECTOR, ".result"))
    second = browser.find_elements(By.CSS_SELECTOR, ".msg.bot")[1]
    assert second.find_element(By.CSS_SELECTOR, ".header").text.startswith("🔎 Kết quả 4")

    # The clause holding markup shows its characters, and nothing ran.
    texts = " ".join(q.text for q in browser.find_elements(By.CSS_SELECTOR, "blockquote.clause"))
    assert '<script>alert("xss")</script> & đúng quy trình' in texts
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert not browser.find_elements(By.CSS_SELECTOR, "#answers script")

    # The document card of a result, closed with Escape back to its button.
    opener = first.find_element(By.CSS_SELECTOR, "button.source-button")
    opener.click()
    card = wait.until(ec.visibility_of_element_located((By.ID, "card")))
    assert "Số hiệu: 77/KH-UBND (Kế hoạch)" in card.text and "Đoạn trích trong văn bản:" in card.text
    assert card.find_element(By.CSS_SELECTOR, "blockquote.current strong")
    file_link = card.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp")
    assert file_link.get_attribute("href").startswith(base + "/api/documents/")
    assert browser.switch_to.active_element.get_attribute("id") == "card-close"
    browser.save_screenshot(str(tmp_path / "card.png"))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait.until(ec.invisibility_of_element_located((By.ID, "card")))
    assert browser.switch_to.active_element == opener

    # 👍 is recorded in the usage log, from the web.
    first.find_element(By.CSS_SELECTOR, "button.vote-up").click()
    wait.until(lambda d: first.find_element(By.CSS_SELECTOR, "p.status").text == "Cảm ơn bạn đã góp ý!")
    assert usage.feedback_rows()[-1][3] == 1
    assert usage.recent_questions()[0]["frontend"] == "web"

    # Readable at 390 px: nothing wider than the screen; the screenshot has that width.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= WIDTH
    shot = tmp_path / "chat-390.png"
    assert browser.save_screenshot(str(shot))
    assert shot.exists() and png_size(shot)[0] == WIDTH
    assert png_size(tmp_path / "card.png")[0] == WIDTH


def test_embed_script_opens_the_chat_in_a_corner_frame(live_server: tuple[str, Any], browser: Any,
                                                        portal: tuple[str, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = live_server
    origin, folder = portal
    # The portal's page, on its own origin, with the one-line embed.
    page = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body><h1>Cổng dịch vụ công</h1>'
            f'<script src="{base}/embed.js" data-title="Trợ lý CCHC tỉnh Quảng Trị"></script>'
            "</body></html>")
    (folder / "index.html").write_text(page, encoding="utf-8")
    browser.get(origin + "/index.html")
    wait = WebDriverWait(browser, 20)
    button = wait.until(lambda d: d.find_element(By.XPATH, "//button[contains(., 'Trợ lý CCHC tỉnh Quảng Trị')]"))
    frame = browser.find_element(By.TAG_NAME, "iframe")
    assert not frame.is_displayed()
    button.click()
    assert frame.is_displayed() and frame.get_attribute("src").startswith(base + "/?embed=1")
    browser.switch_to.frame(frame)
    wait.until(lambda d: d.find_element(By.ID, "title").text == "Trợ lý CCHC tỉnh Quảng Trị")
    box = browser.find_element(By.ID, "question")
    box.send_keys("kho dữ liệu dùng chung")
    browser.find_element(By.ID, "send").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.bot .result"))
    # The API answered inside the frame; the page around it is the portal's, untouched.
    browser.switch_to.default_content()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Cổng dịch vụ công"


def test_a_portal_not_allowed_cannot_frame_the_chat(web_plans: tuple[Path, Path], browser: Any,
                                                     portal: tuple[str, Path], tmp_path: Path) -> None:
    """Without the portal in WEB_ALLOWED_ORIGINS the browser refuses to show the chat in its frame."""
    from selenium.webdriver.common.by import By

    origin, folder = portal
    with _serve_thread(web_plans, tmp_path, ()) as (base, _):
        (folder / "index.html").write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                                           f'<body><iframe id="f" src="{base}/">'
                                           "</iframe></body></html>", encoding="utf-8")
        browser.get(origin + "/index.html")  # returns once the frame has loaded (or been refused)
        frame = browser.find_element(By.ID, "f")
        browser.switch_to.frame(frame)
        assert not browser.find_elements(By.ID, "question")
