"""`dataclass` for the stages from core up: the one of `bptutor.records`, which sits below i18n and errors
so that their records are made by it too."""

from bptutor.records import dataclass

__all__ = ["dataclass"]
