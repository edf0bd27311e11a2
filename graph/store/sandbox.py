"""Keep a query worker from opening network sockets, whatever query it runs.

pyoxigraph 0.5 offers no way to run a query without its SERVICE handler and exposes no parser
to inspect a query with, so the guard (graph.sparql_guard) reads the query on its own. This is
the engine-side backstop: a seccomp filter, installed before the store is opened, makes every
`socket()` call other than for a Unix-domain socket fail with EPERM (and `io_uring_setup`,
which could open sockets past the filter). The engine's HTTP client then fails on SERVICE
before any packet leaves, with or without a network namespace (RCKG_ISOLATE_WORKERS=0, a
container that cannot make namespaces). The worker's pipe to the server is a Unix socket pair
opened before the filter, so it keeps working.

No privilege is needed (the filter comes with no_new_privs, which only stops set-uid gains).
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_TSYNC = 1  # every thread of the process, not only the caller
AF_UNIX = 1
X32_BIT = 0x40000000  # x32 system calls on x86_64: refused outright
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
LOAD_WORD, JUMP_EQUAL, JUMP_AT_LEAST, RETURN = 0x20, 0x15, 0x35, 0x06
# machine: (audit arch, seccomp, socket, io_uring_setup) system call numbers
_ARCHES = {
    "x86_64": (0xC000003E, 317, 41, 425),
    "aarch64": (0xC00000B7, 277, 198, 425),
}
# offsets in struct seccomp_data: nr, arch, args[0] (its low half, little-endian)
_NR, _ARCH, _ARG0 = 0, 4, 16


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _filter(arch: int, socket_nr: int, uring_nr: int) -> bytes:
    """The BPF program: refuse non-Unix sockets, io_uring, x32 and foreign-arch calls."""
    deny = RETURN, 0, 0, RET_ERRNO | errno.EPERM
    allow = RETURN, 0, 0, RET_ALLOW
    program = [
        (LOAD_WORD, 0, 0, _ARCH),
        (JUMP_EQUAL, 0, 6, arch),  # another ABI (int 0x80): deny
        (LOAD_WORD, 0, 0, _NR),
        (JUMP_AT_LEAST, 4, 0, X32_BIT),
        (JUMP_EQUAL, 3, 0, uring_nr),
        (JUMP_EQUAL, 0, 3, socket_nr),  # any other call: allow
        (LOAD_WORD, 0, 0, _ARG0),
        (JUMP_EQUAL, 1, 0, AF_UNIX),
        deny,
        allow,
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def forbid_sockets() -> bool:
    """Install the filter on this process; True if it is in force (Linux on x86_64/aarch64)."""
    numbers = _ARCHES.get(platform.machine())
    if numbers is None or platform.system() != "Linux":
        return False
    arch, seccomp_nr, socket_nr, uring_nr = numbers
    data = _filter(arch, socket_nr, uring_nr)
    code = ctypes.create_string_buffer(data, len(data))
    program = _Program(len(data) // 8, ctypes.cast(code, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.syscall(seccomp_nr, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                        ctypes.byref(program)) == 0
