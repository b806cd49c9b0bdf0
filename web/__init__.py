"""The web front end: a chat page a portal can embed and a JSON API, beside `handlers/`.

It imports `knowledge` (and the pure wording of `handlers.replies`), never `telegram`; the
Telegram webhook it can serve is handed in by the composition root.
"""

from web.app import RateLimiter, WebConfig, Webhook, WebState, create_app, serve

__all__ = ["RateLimiter", "WebConfig", "WebState", "Webhook", "create_app", "serve"]
