"""Loading PTB without what planbot never uses from it."""

from __future__ import annotations

import importlib
import sys

# Telegram Passport decryption, which PTB sets up at import whenever `cryptography` is installed
# (35 modules, 8 MiB of a running bot); it is installed for pypdf, to open owner-password PDFs.
_PASSPORT_ONLY = "cryptography"


def import_telegram() -> None:
    """Import PTB with `cryptography` hidden while it loads: PTB then leaves Telegram Passport
    off, as it does where cryptography is not installed. Hidden only for that moment, so
    pypdf, importing it later for an encrypted PDF, still finds it. Does nothing once PTB or
    cryptography is loaded (a test process, the console)."""
    if "telegram" in sys.modules or _PASSPORT_ONLY in sys.modules:
        return
    # A None entry makes `import cryptography` raise ImportError, which PTB expects.
    sys.modules[_PASSPORT_ONLY] = None  # type: ignore[assignment]
    try:
        importlib.import_module("telegram.ext")
    finally:
        del sys.modules[_PASSPORT_ONLY]
