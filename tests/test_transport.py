"""The bot's HTTP client (handlers/transport.py): PTB's HTTPXRequest on asyncio streams.

Against the fake Bot API server on 127.0.0.1 (and a local TLS server with a throw-away
certificate): keep-alive reuse, one send() per request, uploads larger than the write buffer,
errors PTB understands, TLS, and a shut-down request that can be initialised again.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from fakebotapi import FakeBotAPI
from telegram import Bot
from telegram.error import NetworkError

from handlers import transport
from handlers.transport import AsyncioRequest

TOKEN = "123456:TEST-transport-token-abcdefghij"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection the backend opens, as (host, port)."""
    opened: list[tuple[str, int]] = []
    real = transport.AsyncioBackend.connect_tcp

    async def counting(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        opened.append((host, port))
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(transport.AsyncioBackend, "connect_tcp", counting)
    return opened


def _bot(api: FakeBotAPI, request: AsyncioRequest | None = None) -> Bot:
    return Bot(TOKEN, base_url=api.base_url, request=request or AsyncioRequest(connection_pool_size=4),
               get_updates_request=AsyncioRequest(connection_pool_size=1))


async def test_requests_reuse_one_keep_alive_connection(api: FakeBotAPI, connects: list[tuple[str, int]]) -> None:
    async with _bot(api) as bot:
        for i in range(20):
            message = await bot.send_message(chat_id=42, text=f"câu {i} <b>đậm</b>")
            assert message.text == f"câu {i} <b>đậm</b>"
    assert [c.params["text"] for c in api.calls_to("sendMessage")] == [f"câu {i} <b>đậm</b>" for i in range(20)]
    # getMe (initialize) and 20 messages, one after the other: one connection for all of them.
    assert len(connects) == 1


async def test_one_send_per_request(api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers and body leave in one write to the socket (anyio's stream made two)."""
    async with _bot(api) as bot:
        await bot.send_message(chat_id=1, text="khởi động")
        writes: list[bytes] = []
        real = asyncio.StreamWriter.write

        def counting(self: asyncio.StreamWriter, data: bytes) -> None:
            writes.append(bytes(data))
            real(self, data)

        monkeypatch.setattr(asyncio.StreamWriter, "write", counting)
        await bot.send_message(chat_id=1, text="một lần gửi")
    assert len(writes) == 1
    assert writes[0].startswith(b"POST ") and writes[0].endswith(b"text=m%E1%BB%99t+l%E1%BA%A7n+g%E1%BB%ADi")


async def test_concurrent_requests_and_large_upload(api: FakeBotAPI, connects: list[tuple[str, int]]) -> None:
    data = bytes(range(256)) * 1200  # 300 KB: past the write buffer, streamed in several sends
    async with _bot(api) as bot:
        sent = await asyncio.gather(*(bot.send_message(chat_id=i, text=f"t{i}") for i in range(12)),
                                    bot.send_document(chat_id=7, document=data, filename="ke-hoach.pdf"))
    assert {m.chat.id for m in sent} == set(range(12)) | {7}
    [upload] = api.calls_to("sendDocument")
    assert upload.files["document"].data == data
    assert upload.files["document"].filename == "ke-hoach.pdf"
    assert len(connects) <= 4  # the pool's size, however many requests were in flight


async def test_refused_connection_is_a_network_error(connects: list[tuple[str, int]]) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    request = AsyncioRequest(connection_pool_size=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert connects == [("127.0.0.1", port)]


async def test_shut_down_request_can_be_initialised_again(api: FakeBotAPI) -> None:
    request = AsyncioRequest(connection_pool_size=2)
    bot = _bot(api, request)
    async with bot:
        await bot.send_message(chat_id=1, text="trước")
    async with bot:  # PTB re-initialises a request after shutdown (a new client and pool)
        await bot.send_message(chat_id=1, text="sau")
    assert [c.params["text"] for c in api.calls_to("sendMessage")] == ["trước", "sau"]


async def test_server_closing_the_connection_opens_a_new_one(connects: list[tuple[str, int]]) -> None:
    """A server that ends every response with `Connection: close`: each request reconnects."""

    async def handle(request: web.Request) -> web.Response:
        response = web.json_response({"ok": True, "result": True})
        response.force_close()
        return response

    app = web.Application()
    app.router.add_route("POST", "/bot{token}/{method}", handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    request = AsyncioRequest(connection_pool_size=2)
    await request.initialize()
    try:
        for _ in range(3):
            assert await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/deleteWebhook") is True
    finally:
        await request.shutdown()
        await runner.cleanup()
    assert len(connects) == 3


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command for a test certificate")
async def test_tls(tmp_path: Path) -> None:
    """https as to api.telegram.org: the connection is upgraded with start_tls and verified."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    seen: list[Any] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.transport.get_extra_info("ssl_object") if request.transport else None)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("POST", "/bot{token}/{method}", handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"https://localhost:{port}/bot{TOKEN}/deleteWebhook"
    trusting = AsyncioRequest(connection_pool_size=2, ssl_context=ssl.create_default_context(cafile=str(cert)))
    untrusting = AsyncioRequest(connection_pool_size=2)  # the system's certificates only
    await trusting.initialize()
    await untrusting.initialize()
    try:
        assert await trusting.post(url) is True
        assert await trusting.post(url) is True
        with pytest.raises(NetworkError):
            await untrusting.post(url)
    finally:
        await trusting.shutdown()
        await untrusting.shutdown()
        await runner.cleanup()
    assert len(seen) == 2 and all(s is not None for s in seen)


def test_the_application_uses_it(make_deps: Any) -> None:
    import bot

    app = bot.build_application(TOKEN, make_deps(), throttle=False)
    # PTB keeps two requests: getUpdates' own (one connection) and the one for every other call.
    requests = app.bot._request  # noqa: SLF001
    assert all(isinstance(r, AsyncioRequest) for r in requests)


def test_the_application_shortens_the_interpreter_switch_interval(make_deps: Any) -> None:
    """The event loop gets the interpreter back from the search thread within 0.5 ms, not 5 ms."""
    import sys

    import bot

    sys.setswitchinterval(0.005)  # Python's default
    bot.build_application(TOKEN, make_deps(), throttle=False)
    assert sys.getswitchinterval() == pytest.approx(bot.SWITCH_INTERVAL) and bot.SWITCH_INTERVAL < 0.005
