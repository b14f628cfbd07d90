


def write_text_atomically(text: str, path) -> None:
    """Write ``text`` to ``path`` (UTF-8, LF) through a temporary file, so that a reader never
    sees half a file and a failed write leaves the old one in place."""
    import os

    tmp = f"{os.fspath(path)}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
