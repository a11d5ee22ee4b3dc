"""Everything an export needs about one client (see domain.record)."""

from ..domain.record import ClientRecord as ClientBundle

__all__ = ["ClientBundle"]
