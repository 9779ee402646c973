"""The reference document shipped as package data: a September summary and an October plan."""

from __future__ import annotations

from importlib.resources import files

SAMPLE_NAME = "jingzhou-2020-10.txt"


def sample_text() -> str:
    return (files("plans") / "data" / SAMPLE_NAME).read_text(encoding="utf-8")
