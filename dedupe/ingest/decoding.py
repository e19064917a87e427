"""Bytes to text for every input: which encoding, and whether it is text at all.

UTF-8 (with or without BOM) first, then UTF-16 (BOM, or the NUL pattern of BOM-less UTF-16),
the charset an HTML `<meta>` or XML declaration names, and Windows-1252 last. Empty, binary and
oversized inputs raise `InputError` with the reason.
"""

from __future__ import annotations

import codecs
import logging
import os
import re

from dedupe.errors import InputError
from dedupe.settings import Settings

log = logging.getLogger(__name__)

# the share of control characters above which decoded "text" is really binary data
_MAX_CONTROL_SHARE = 0.01
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DECLARED_CHARSET = re.compile(
    rb"""<\?xml[^>]*\bencoding=["']([\w.:-]+)["']|<meta[^>]*\bcharset=["']?([\w.:-]+)""",
    re.IGNORECASE,
)


def decode(data: bytes, name: str, settings: Settings) -> str:
    """Text from bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), the charset an HTML or XML
    document declares, else Windows-1252; InputError for empty, binary or oversized input."""
    if len(data) > settings.max_file_bytes:
        raise InputError(
            name,
            f"input is {len(data):,} bytes, over the limit of "
            f"{settings.max_file_bytes:,} (setting max_file_bytes)",
        )
    if not data.strip():
        raise InputError(name, "empty file")
    text = _decode_text(data, name)
    if not text.strip():
        raise InputError(name, "empty file")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(name, f"binary data ({controls:,} control characters), not text")
    return text


def _decode_text(data: bytes, name: str) -> str:
    utf16 = _utf16_encoding(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise InputError(
                name, f"invalid UTF-16 text ({exc.reason} at byte {exc.start})"
            ) from exc
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            log.warning("%s: not valid %s as declared", name, declared)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"not valid UTF-8 or Windows-1252 text ({exc.reason} at byte {exc.start})"
        ) from exc
    log.warning("%s: not valid UTF-8, read as Windows-1252", name)
    return text


def _utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" for a BOM; "utf-16-le"/"-be" for BOM-less text whose every other byte is NUL."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even == 0:
        return "utf-16-le"
    if even > 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    """The encoding an XML declaration or an HTML <meta> names, if Python knows it."""
    found = _DECLARED_CHARSET.search(data[:4096])
    if not found:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def display_name(path: os.PathLike[str] | str) -> str:
    """A path as text that any store or report can hold: bytes that are not UTF-8 (a file
    name from another system) are written as escapes such as \\xff."""
    return printable(os.fspath(path))


def printable(text: str) -> str:
    """Text that encodes as UTF-8: undecodable bytes of a file name (surrogate escapes) as
    \\xff, any other lone surrogate as \\udxxx."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
