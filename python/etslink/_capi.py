"""The C API of libetslink (api/etslink.h) through ctypes: finding and loading the library,
the function prototypes, errors, and tables turned into pandas DataFrames.

The library is looked for, in order: the file (or folder) named by the environment variable
ETSLINK_LIB; libetslink.so.1 next to this package (as `make python` installs it); the library
folder recorded by `make install` (_paths.py); the system's library path (ld.so).
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
from typing import Any, Callable, Optional

import numpy as np
import pandas as pd

SONAME = "libetslink.so.1"

# Column types of etsl_table (ETSL_COL_*).
COL_DOUBLE, COL_STRING, COL_INT, COL_BOOL = 0, 1, 2, 3

ERROR_BUFFER = 2048


class EtslinkError(Exception):
    """An error reported by etslink.

    ``code`` is etslink's exit code (docs/cli.md): 3 invalid input (XML, schema, values, ids),
    4 no equilibrium in the autarky baseline, 5 a file could not be read, 6 the solver failed,
    7 out of memory, 1 an internal error. ``message`` is etslink's message, which names the
    file, the line and the element where it can.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"EtslinkError(code={self.code}, message={self.message!r})"


_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None


def library_path() -> str:
    """The path (or bare name, for the system's search) the library is loaded from."""
    env = os.environ.get("ETSLINK_LIB")
    if env:
        return os.path.join(env, SONAME) if os.path.isdir(env) else env
    here = os.path.dirname(os.path.abspath(__file__))
    for name in (SONAME, "libetslink.so"):
        p = os.path.join(here, name)
        if os.path.exists(p):
            return p
    try:
        from ._paths import LIBDIR  # written by `make install`

        p = os.path.join(LIBDIR, SONAME)
        if os.path.exists(p):
            return p
    except ImportError:
        pass
    return SONAME


_P = ctypes.c_void_p
_S = ctypes.c_char_p
_D = ctypes.c_double
_I = ctypes.c_int
_L = ctypes.c_long
_Z = ctypes.c_size_t
_ERR = [ctypes.c_char_p, _Z]

# name: (restype, argtypes without the error buffer, takes the error buffer)
_PROTOTYPES: dict = {
    "etsl_version": (_S, [], False),
    "etsl_scenario_load": (_I, [ctypes.POINTER(_P), _S], True),
    "etsl_scenario_load_string": (_I, [ctypes.POINTER(_P), _S, _Z, _S], True),
    "etsl_scenario_free": (None, [_P], False),
    "etsl_scenario_name": (_S, [_P], False),
    "etsl_scenario_currency": (_S, [_P], False),
    "etsl_scenario_unit": (_S, [_P], False),
    "etsl_scenario_path": (_S, [_P], False),
    "etsl_scenario_jurisdictions": (_I, [_P, ctypes.POINTER(_P)], True),
    "etsl_scenario_designs": (_I, [_P, ctypes.POINTER(_P)], True),
    "etsl_scenario_pools": (_I, [_P, ctypes.POINTER(_P)], True),
    "etsl_scenario_analyses": (_I, [_P, ctypes.POINTER(_P)], True),
    "etsl_design_create": (_I, [ctypes.POINTER(_P), _S, _S], True),
    "etsl_design_free": (None, [_P], False),
    "etsl_design_group": (_I, [_P, ctypes.POINTER(_S), _I], True),
    "etsl_design_link": (_I, [_P, _S, _S, _D, _D, _D, _S], True),
    "etsl_design_instrument": (_I, [_P, _S, _S, _D, _D], True),
    "etsl_design_accept": (_I, [_P, _S, _S, _D, _D, _D], True),
    "etsl_design_export_cap": (_I, [_P, _S, _D, _D], True),
    "etsl_design_import_limit": (_I, [_P, _S, _D, _D, _S], True),
    "etsl_design_project": (
        _I,
        [_P, _S, _D, _D, _D, ctypes.POINTER(_S), ctypes.POINTER(_D), _I],
        True,
    ),
    "etsl_design_set": (_I, [_P, _S, _S, _S, _D], True),
    "etsl_design_check": (_I, [_P, _P], True),
    "etsl_solve": (_I, [_P, ctypes.POINTER(_P), _I, _I, ctypes.POINTER(_P)], True),
    "etsl_coalitions": (
        _I,
        [_P, ctypes.POINTER(_S), _I, _P, _I, ctypes.POINTER(_P)],
        True,
    ),
    "etsl_table_nrows": (_L, [_P], False),
    "etsl_table_ncols": (_I, [_P], False),
    "etsl_table_column_name": (_S, [_P, _I], False),
    "etsl_table_column_unit": (_S, [_P, _I], False),
    "etsl_table_column_type": (_I, [_P, _I], False),
    "etsl_table_doubles": (ctypes.POINTER(_D), [_P, _I], False),
    "etsl_table_strings": (ctypes.POINTER(_S), [_P, _I], False),
    "etsl_table_free": (None, [_P], False),
    "etsl_tables_count": (_I, [_P], False),
    "etsl_tables_name": (_S, [_P, _I], False),
    "etsl_tables_at": (_P, [_P, _I], False),
    "etsl_tables_free": (None, [_P], False),
}


def lib() -> ctypes.CDLL:
    """The loaded library, with every prototype set (loaded once, on first use)."""
    global _lib
    with _lock:
        if _lib is None:
            path = library_path()
            try:
                handle = ctypes.CDLL(path)
            except OSError as e:
                raise EtslinkError(
                    5,
                    f"cannot load the etslink library '{path}': {e}; build it with `make lib` "
                    "(or install it with `make python` or `make install`), or point "
                    "ETSLINK_LIB at libetslink.so.1",
                ) from None
            for name, (res, args, err) in _PROTOTYPES.items():
                fn = getattr(handle, name)
                fn.restype = res
                fn.argtypes = args + (_ERR if err else [])
            _lib = handle
        return _lib


def call(name: str, *args: Any) -> None:
    """Call an action of the C API; raise EtslinkError with its message if it fails."""
    buf = ctypes.create_string_buffer(ERROR_BUFFER)
    rc = getattr(lib(), name)(*args, buf, ERROR_BUFFER)
    if rc != 0:
        raise EtslinkError(int(rc), buf.value.decode("utf-8", "replace"))


def text(s: Optional[str]) -> Optional[bytes]:
    """A Python string as the C API's UTF-8 bytes (None stays NULL)."""
    return None if s is None else str(s).encode("utf-8")


def number(x: Optional[float]) -> float:
    """A number for the C API: None (not given) is NaN."""
    if x is None:
        return math.nan
    return float(x)


def string_array(items: list) -> Any:
    """A C array of UTF-8 strings."""
    arr = (ctypes.c_char_p * max(len(items), 1))()
    for i, s in enumerate(items):
        arr[i] = text(s)
    return arr


class Handle:
    """An owned pointer released by a C free function when collected or closed."""

    def __init__(self, ptr: int, free: str) -> None:
        self.ptr: Optional[int] = ptr
        self._free = free

    def close(self) -> None:
        if self.ptr:
            getattr(lib(), self._free)(self.ptr)
            self.ptr = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


def table_frame(t: int) -> pd.DataFrame:
    """An etsl_table as a DataFrame (copied); units in ``df.attrs["units"]``."""
    L = lib()
    n = int(L.etsl_table_nrows(t))
    data: dict = {}
    units: dict = {}
    for c in range(L.etsl_table_ncols(t)):
        name = L.etsl_table_column_name(t, c).decode("utf-8")
        units[name] = L.etsl_table_column_unit(t, c).decode("utf-8")
        kind = L.etsl_table_column_type(t, c)
        if kind == COL_STRING:
            ptr = L.etsl_table_strings(t, c)
            data[name] = np.array([ptr[i].decode("utf-8") for i in range(n)], dtype=object)
            continue
        ptr = L.etsl_table_doubles(t, c)
        col = np.ctypeslib.as_array(ptr, shape=(n,)).copy() if n > 0 else np.zeros(0)
        if kind == COL_BOOL:
            col = col != 0
        elif kind == COL_INT and not np.isnan(col).any():
            col = col.astype(np.int64)
        data[name] = col
    df = pd.DataFrame(data)
    df.attrs["units"] = units
    return df


def tables_frames(ts: int) -> dict:
    """Every table of an etsl_tables set as {name: DataFrame}."""
    L = lib()
    return {
        L.etsl_tables_name(ts, i).decode("utf-8"): table_frame(L.etsl_tables_at(ts, i))
        for i in range(L.etsl_tables_count(ts))
    }


def with_table(fn: str, handle: int) -> pd.DataFrame:
    """Call fn(handle, &table) and return the table as a DataFrame."""
    out = ctypes.c_void_p()
    call(fn, handle, ctypes.byref(out))
    try:
        return table_frame(out.value)
    finally:
        lib().etsl_table_free(out.value)


def with_tables(action: Callable[[Any], None]) -> dict:
    """Run action(&tables) and return the set as {name: DataFrame}."""
    out = ctypes.c_void_p()
    action(ctypes.byref(out))
    try:
        return tables_frames(out.value)
    finally:
        lib().etsl_tables_free(out.value)
