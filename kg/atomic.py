"""Files written whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress


@contextmanager
def replacing(path: str | os.PathLike, suffix: str = ".tmp") -> Iterator[str]:
    """Yield a temporary path beside ``path``; when the block ends without an error the
    temporary file replaces ``path``, otherwise it is removed and ``path`` is left as it was
    (a reader never sees half a file)."""
    tmp = f"{os.fspath(path)}{suffix}"
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
