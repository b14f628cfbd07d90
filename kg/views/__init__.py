


def write_text_atomically(text: str, path) -> None:
    """Write ``text`` to ``path`` (UTF-8, LF) through a temporary file, so that a reader never
    sees half a file and a failed write leaves the old one in place."""
    import os

    from kg.atomic import replacing

    with replacing(path, f".tmp-{os.getpid()}") as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
