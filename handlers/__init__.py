"""The chat layer: python-telegram-bot handlers on top of `knowledge`.

One module per feature; all wording and HTML in `handlers.replies`. `register()` adds every
handler in order (commands, buttons, inline, then the free-text catch-all last), as in PTB's
examples; `bot.py` builds the Application and calls it. Both live in `handlers.registry` and
are imported on first use: importing one module of the package (`handlers.replies` for
`bot.py ask`) must not load python-telegram-bot (half a second of a cold start).
"""

from __future__ import annotations

from typing import Any

__all__ = ["MEDIA", "on_startup", "register", "registered_commands", "set_commands", "set_descriptions"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from handlers import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'handlers' has no attribute {name!r}")
