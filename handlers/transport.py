"""The bot's HTTP client for the Bot API: PTB's HTTPXRequest on plain asyncio streams.

PTB talks to Telegram through httpx, whose connection pool (httpcore) reaches the network
through anyio. Per answer that layer cost more of the bot's CPU than the reply's rendering
(benchmarks/e2e.py --profile): each request scans the pool's idle connections and asks anyio
whether each is readable (a dict of socket attributes and a getpeername() system call per
connection), enters several cancel scopes, and writes the request headers and body with two
send() calls. `AsyncioBackend` gives httpcore the same streams on asyncio directly: a readiness
check is one attribute read, time-outs are `asyncio.timeout`, and the writes of one request are
joined into one send when the response is read. httpx (request building, errors, HTTP/1.1 keep-
alive, TLS via `start_tls`) and PTB's request policy are unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Coroutine, Iterable
from typing import Any

import httpcore
import httpx
from telegram.request import HTTPXRequest

# Buffered request bytes beyond this are sent (and drained) at once: uploads stream through.
FLUSH_AT = 64 * 1024


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection as asyncio's StreamReader/StreamWriter; writes wait for the next read."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._pending: list[bytes] = []
        self._size = 0

    def _send_pending(self) -> None:
        if self._pending:
            data = b"".join(self._pending) if len(self._pending) > 1 else self._pending[0]
            self._pending.clear()
            self._size = 0
            self._writer.write(data)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Send what is buffered, then up to `max_bytes` (b"" at end of stream)."""
        try:
            self._send_pending()
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Buffer `buffer`; past FLUSH_AT bytes send it and wait for the socket to drain."""
        if not buffer:
            return
        self._pending.append(buffer)
        self._size += len(buffer)
        if self._size < FLUSH_AT:
            return
        try:
            self._send_pending()
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        """Close the connection (what is still buffered is not a request anyone waits for)."""
        self._pending.clear()
        self._writer.close()
        with contextlib.suppress(OSError):  # already reset by the peer: closed either way
            await self._writer.wait_closed()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        """Upgrade this connection to TLS in place (asyncio ≥ 3.11)."""
        try:
            self._send_pending()
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        """What httpcore asks of a connection: TLS object, addresses, socket, readiness."""
        if info == "is_readable":
            # An idle keep-alive connection is readable only when the server closed it (or sent
            # something unasked): asyncio has already read that into the reader.
            return self._reader.at_eof() or self._writer.is_closing()
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on asyncio streams (see the module docstring)."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        """A TCP connection to host:port (TCP_NODELAY is asyncio's default)."""
        return await _connect(asyncio.open_connection(
            host, port, local_addr=(local_address, 0) if local_address else None), timeout, socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        """A connection to a Unix socket."""
        return await _connect(asyncio.open_unix_connection(path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        """Sleep on the event loop."""
        await asyncio.sleep(seconds)


async def _connect(opening: Coroutine[Any, Any, tuple[asyncio.StreamReader, asyncio.StreamWriter]],
                   timeout: float | None, options: Iterable[httpcore.SOCKET_OPTION] | None) -> AsyncioStream:
    """The stream of a connection being opened, with httpcore's errors and `options` set."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await opening
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(str(exc)) from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
    sock: socket.socket | None = writer.get_extra_info("socket")
    for option in options or ():
        if sock is not None:
            sock.setsockopt(*option)
    return AsyncioStream(reader, writer)


class AsyncioRequest(HTTPXRequest):
    """PTB's HTTPXRequest whose httpx client reaches the network through `AsyncioBackend`.

    Same arguments as HTTPXRequest (HTTP/1.1 only, no proxy: the bot uses neither), plus the
    TLS context (default: httpx's, verifying against the system's certificates). A new transport
    is made with every client, so the request can be shut down and initialised again as PTB does.
    """

    def __init__(self, connection_pool_size: int = 8, *, ssl_context: ssl.SSLContext | None = None,
                 **kwargs: Any) -> None:
        self._pool_size = connection_pool_size
        self._ssl_context = ssl_context
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)

    def _build_client(self) -> httpx.AsyncClient:
        transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=self._pool_size))
        # httpx builds its httpcore pool without a way to choose the network backend; the same
        # pool is made here with ours (same limits, HTTP/1.1, default TLS context).
        transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
            ssl_context=self._ssl_context or httpx.create_ssl_context(), max_connections=self._pool_size,
            max_keepalive_connections=self._pool_size, keepalive_expiry=5.0, http1=True, http2=False,
            network_backend=AsyncioBackend())
        kwargs = dict(self._client_kwargs)
        kwargs["transport"] = transport
        return httpx.AsyncClient(**kwargs)
