"""Decrypt every page of a SQLCipher 4 database file or WAL, free pages included.

The tests use this to look at what is really on disk: a logical export would skip free pages
and old WAL frames, which is exactly where deleted content could linger. SQLCipher 4 default
layout with a raw key: AES-256-CBC per page, 16-byte IV and 64-byte HMAC in the page's
reserved tail; page 1 starts with the 16-byte salt.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80  # 16-byte IV + 64-byte HMAC-SHA512
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    end = PAGE_SIZE - RESERVE
    iv = page[end : end + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(page[start:end]) + decryptor.finalize()
    return (b"SQLite format 3\x00" if first else b"") + plain


def database_plaintext(path: Path, key: bytes) -> bytes:
    data = path.read_bytes() if path.exists() else b""
    pages = [data[i : i + PAGE_SIZE] for i in range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE)]
    return b"".join(decrypt_page(page, key, number == 0) for number, page in enumerate(pages))


def wal_plaintext(path: Path, key: bytes) -> bytes:
    data = path.read_bytes() if path.exists() else b""
    out = []
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE_SIZE <= len(data):
        page_number = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE_SIZE]
        out.append(decrypt_page(page, key, page_number == 1))
        offset += FRAME_HEADER + PAGE_SIZE
    return b"".join(out)


def all_plaintext(database: Path, key: bytes) -> bytes:
    """Database pages and WAL frames, decrypted."""
    return database_plaintext(database, key) + wal_plaintext(database.with_name(database.name + "-wal"), key)
