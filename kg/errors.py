"""Errors the user can act on. The CLI prints ``str(err)`` on one line and exits
with ``err.exit_code`` — never a traceback."""

from __future__ import annotations


class KgError(Exception):
    """A failure explained in one line. exit_code 2 = bad usage or bad input."""

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class CorpusError(KgError):
    """A corpus file or manifest that cannot be used."""


class BuildNotFound(KgError):
    """An --out folder that holds no build."""


class QueryError(KgError):
    """A SPARQL query that cannot be parsed or run."""
