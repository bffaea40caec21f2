"""Work-arounds for bugs in the Qt binding, each with the reason and how to drop it.

PySide6 6.12 on Python 3.11 loses one reference to None each time C++ calls a Python
model's data() and it returns None ("no value for this role"). Views do that for most
roles of every visible cell, so after some hours – or seconds at 100,000 rows – None's
reference count reaches zero and Python aborts ("none_dealloc"). Reproduced by
tests/gui/test_compat.py. Python 3.12 makes None immortal; there this is not needed.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # references; a leak of one per call never uses these up
_done = False


def protect_none() -> None:
    """Give None a reference count that the leak cannot exhaust (once per process)."""
    global _done  # noqa: PLW0603 - the interpreter-wide fix is applied once
    if _done or sys.version_info >= (3, 12):
        return
    # ob_refcnt is the first field of every PyObject in a release build of CPython 3.11.
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM
    _done = True
