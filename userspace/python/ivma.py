# SPDX-License-Identifier: GPL-2.0
"""ivma: instrumented VMAs from Python, over libivma (ctypes, standard
library only).

    import ivma

    with ivma.Object(size=1 << 20) as obj:      # a 1 MiB anonymous object
        reader = obj.reader()                   # its fault log, from now on
        m = obj.map()                           # a Python mmap of it
        m[0] = 1
        m[8192] = 1
        print(obj.counters().faults)            # 2
        obj.budget(frames=1, policy="lru")      # one frame: evicts a page
        for rec in reader.records():            # what is there now
            print(rec.kind, rec.pgoff, rec.access)

An Object is one open of /dev/ivma (or $IVMA_DEVICE, or device=...): an
anonymous object of size bytes, or with file=... the section of a file
(offset=, length=; size defaults to the section rounded up to pages).
ivma.connect(path) returns the object that "ivma touch --hold-socket path"
holds. Errors are OSError with the errno of the call (FileNotFoundError,
PermissionError, ...); bad arguments are ValueError. See libivma(3) and
Documentation/uapi.md.

The library is libivma.so.1, found as the dynamic linker finds it, or at
$IVMA_LIBIVMA, or in the source tree's build/lib/.
"""

import collections
import ctypes
import mmap
import os

__all__ = ["Object", "Reader", "Record", "Counters", "connect",
           "kind_name", "KINDS", "POLICIES", "IvmaError"]

_u8, _u32, _s32, _u64 = (ctypes.c_uint8, ctypes.c_uint32, ctypes.c_int32,
                         ctypes.c_uint64)

IVMA_FEATURE_FILE_BACKED = 1 << 0
IVMA_CONFIG_FILE = 1 << 0
IVMA_LOG_NONBLOCK = 1 << 1
IVMA_EV_MAX = 32
POLICIES = ("fifo", "clock", "lru")


class _Api(ctypes.Structure):
    _fields_ = [("api", _u32), ("reserved0", _u32), ("features", _u64),
                ("ioctls", _u64), ("max_size", _u64), ("page_size", _u32),
                ("reserved1", _u32), ("reserved", _u64 * 4)]


class _Info(ctypes.Structure):
    _fields_ = [("id", _u64), ("state", _u32), ("flags", _u32),
                ("size", _u64), ("file_offset", _u64),
                ("section_len", _u64), ("resident", _u64), ("dirty", _u64),
                ("vmas", _u32), ("page_size", _u32), ("faults", _u64),
                ("read_faults", _u64), ("write_faults", _u64),
                ("exec_faults", _u64), ("sigbus", _u64), ("oom", _u64),
                ("read_errors", _u64), ("write_errors", _u64),
                ("bytes_read", _u64), ("bytes_written", _u64),
                ("frames", _u64), ("swapped", _u64), ("policy", _u32),
                ("budget_flags", _u32), ("reserved", _u64 * 2),
                ("events", _u64 * IVMA_EV_MAX)]


class _Record(ctypes.Structure):
    _fields_ = [("seq", _u64), ("time_ns", _u64), ("object", _u64),
                ("address", _u64), ("pgoff", _u64), ("aux", _u64),
                ("pid", _u32), ("tid", _u32), ("latency_ns", _u32),
                ("kind", _u8), ("access", _u8), ("outcome", _u8),
                ("version", _u8)]


class _LogStats(ctypes.Structure):
    _fields_ = [("size", _u64), ("used", _u64), ("produced", _u64),
                ("delivered", _u64), ("lost", _u64), ("reserved", _u64 * 3)]


class _Kind(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_uint), ("name", ctypes.c_char_p),
                ("desc", ctypes.c_char_p)]


# sizeof() of the structures of <linux/ivma.h>: a field out of place fails here
_SIZES = {"ivma_api": 72, "ivma_record": 64, "ivma_info": 440,
          "ivma_log_stats": 64}
assert [ctypes.sizeof(t) for t in (_Api, _Record, _Info, _LogStats)] == \
    list(_SIZES.values())


def _load():
    here = os.path.dirname(os.path.abspath(__file__))
    names = [os.environ.get("IVMA_LIBIVMA") or "libivma.so.1",
             os.path.join(here, "..", "..", "build", "lib", "libivma.so.1")]
    error = None
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            error = error or e
    raise ImportError("ivma: cannot load libivma.so.1: %s" % error)


_lib = _load()


def _proto(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype, f.argtypes = restype, list(argtypes)
    return f


_c = ctypes.c_char_p
_open = _proto("ivma_open", ctypes.c_int, _c)
_handshake = _proto("ivma_handshake", ctypes.c_int, ctypes.c_int, _u64,
                    ctypes.POINTER(_Api))
_configure_anon = _proto("ivma_configure_anon", ctypes.c_int,
                         ctypes.c_int, _u64)
_configure_file = _proto("ivma_configure_file", ctypes.c_int, ctypes.c_int,
                         _u64, ctypes.c_int, _u64, _u64)
_query = _proto("ivma_query", ctypes.c_int, ctypes.c_int,
                ctypes.POINTER(_Info))
_set_budget = _proto("ivma_set_budget", ctypes.c_int, ctypes.c_int, _u64,
                     ctypes.c_uint)
_log_open = _proto("ivma_log_open", ctypes.c_int, ctypes.c_int, _u32, _u64)
_log_stats = _proto("ivma_log_stats", ctypes.c_int, ctypes.c_int,
                    ctypes.POINTER(_LogStats))
_log_read = _proto("ivma_log_read", ctypes.c_ssize_t, ctypes.c_int,
                   ctypes.POINTER(_Record), ctypes.c_size_t)
_hold_connect = _proto("ivma_hold_connect", ctypes.c_int, _c)
_kind_table = _proto("ivma_kind_table", ctypes.POINTER(_Kind),
                     ctypes.POINTER(ctypes.c_size_t))
_kind_name = _proto("ivma_kind_name", _c, ctypes.c_uint)
_access_str = _proto("ivma_access_str", _c, ctypes.c_uint, ctypes.c_char_p)
_outcome_name = _proto("ivma_outcome_name", _c, ctypes.c_uint)
_policy_from_name = _proto("ivma_policy_from_name", ctypes.c_int, _c)

IvmaError = OSError


def _check(r, what):
    """libivma's result: r when >= 0, else OSError of -r."""
    if r < 0:
        raise OSError(-r, "%s: %s" % (what, os.strerror(-r)))
    return r


def _table():
    n = ctypes.c_size_t()
    t = _kind_table(ctypes.byref(n))
    return {t[i].kind: t[i].name.decode() for i in range(n.value)}


# enum ivma_event_kind: {kind: name}, as the tool and the tracepoints name them
KINDS = _table()


def kind_name(kind):
    """The name of an event kind ("zero-fill"), or "event-N"."""
    name = _kind_name(kind)
    return name.decode() if name else "event-%d" % kind


# one log record; kind, access and outcome by name ("zero-fill", "rw-u-", "ok")
Record = collections.namedtuple(
    "Record", "seq time_ns object address pgoff aux pid tid latency_ns "
    "kind access outcome")

# IVMA_IOC_QUERY; events is {kind name: count} for every named kind
Counters = collections.namedtuple("Counters", [
    f for f, _ in _Info._fields_ if f not in ("reserved",)])


def _record(r):
    buf = ctypes.create_string_buffer(6)
    outcome = _outcome_name(r.outcome)
    return Record(r.seq, r.time_ns, r.object, r.address, r.pgoff, r.aux,
                  r.pid, r.tid, r.latency_ns, kind_name(r.kind),
                  _access_str(r.access, buf).decode(),
                  outcome.decode() if outcome else "outcome-%d" % r.outcome)


class _Fd:
    """A file descriptor that this module owns: closed by close() or at
    the end of a with block."""

    fd = -1

    def fileno(self):
        return self.fd

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Reader(_Fd):
    """A log reader of an object (IVMA_IOC_LOG_OPEN): every event of the
    object from its opening on, as Record tuples."""

    def __init__(self, fd):
        self.fd = fd

    def read(self, n=256):
        """Up to n records: blocks for the first unless non-blocking
        (then [] when there is none); [] once the object is gone."""
        buf = (_Record * n)()
        got = _log_read(self.fd, buf, n)
        if got == -11:          # EAGAIN: nothing now
            return []
        _check(got, "read")
        return [_record(buf[i]) for i in range(got)]

    def records(self):
        """Yields records until there is none now (non-blocking) or the
        object is gone and everything is read (blocking)."""
        while True:
            recs = self.read()
            if not recs:
                return
            yield from recs

    __iter__ = records

    def stats(self):
        """IVMA_IOC_LOG_STATS: {size, used, produced, delivered, lost}."""
        s = _LogStats()
        _check(_log_stats(self.fd, ctypes.byref(s)), "IVMA_IOC_LOG_STATS")
        return {f: getattr(s, f) for f, _ in _LogStats._fields_
                if f != "reserved"}


class Object(_Fd):
    """An ivma object: Object(size=N) is anonymous, Object(file=path or
    file object or fd, offset=0, length=None, size=None) a file section.
    device: the device path (default $IVMA_DEVICE or /dev/ivma)."""

    def __init__(self, size=None, file=None, offset=0, length=None,
                 device=None, _fd=None):
        self.page_size = mmap.PAGESIZE
        if _fd is not None:             # connect(): configured already
            self.fd = _fd
            self.size = self.counters().size
            return
        if file is None and size is None:
            raise ValueError("Object: size= or file= is required")
        if size is not None and size <= 0:
            raise ValueError("Object: size must be > 0")
        self.fd = _check(_open(device.encode() if device else None),
                         device or "/dev/ivma")
        try:
            self._setup(size, file, offset, length)
        except BaseException:
            os.close(self.fd)
            self.fd = -1
            raise

    def _setup(self, size, file, offset, length):
        api = _Api()
        feats = IVMA_FEATURE_FILE_BACKED if file is not None else 0
        _check(_handshake(self.fd, feats, ctypes.byref(api)), "IVMA_IOC_API")
        if file is None:
            _check(_configure_anon(self.fd, size), "IVMA_IOC_CONFIGURE")
            self.size = size
            return
        own = isinstance(file, (str, bytes, os.PathLike))
        ffd = os.open(file, os.O_RDWR | os.O_CLOEXEC) if own else \
            (file if isinstance(file, int) else file.fileno())
        try:
            if length is None:
                length = os.fstat(ffd).st_size - offset
            if length <= 0:
                raise ValueError("Object: the file section is empty")
            if size is None:
                size = -(-length // self.page_size) * self.page_size
            _check(_configure_file(self.fd, size, ffd, offset, length),
                   "IVMA_IOC_CONFIGURE")
            self.size = size
        finally:
            if own:
                os.close(ffd)

    @property
    def id(self):
        return self.counters().id

    def map(self, offset=0, length=None, write=True, shared=True):
        """A Python mmap of object bytes [offset, offset + length)."""
        prot = mmap.PROT_READ | (mmap.PROT_WRITE if write else 0)
        flags = mmap.MAP_SHARED if shared else mmap.MAP_PRIVATE
        if length is None:
            length = self.size - offset
        return mmap.mmap(self.fd, length, flags=flags, prot=prot,
                         offset=offset)

    def counters(self):
        """IVMA_IOC_QUERY as a Counters tuple (events by kind name)."""
        info = _Info()
        _check(_query(self.fd, ctypes.byref(info)), "IVMA_IOC_QUERY")
        vals = {f: getattr(info, f) for f in Counters._fields}
        vals["events"] = {name: info.events[k] for k, name in KINDS.items()}
        return Counters(**vals)

    def budget(self, frames, policy="fifo"):
        """IVMA_IOC_SET_BUDGET: frames (0: unlimited), "fifo", "clock" or
        "lru"."""
        p = _policy_from_name(policy.encode())
        if p < 0:
            raise ValueError("budget: policy %r: expected one of %s"
                             % (policy, ", ".join(POLICIES)))
        _check(_set_budget(self.fd, frames, p), "IVMA_IOC_SET_BUDGET")

    def reader(self, size=0, nonblock=True):
        """A log reader of this object (ring of size bytes, 0: default)."""
        return Reader(_check(_log_open(self.fd, IVMA_LOG_NONBLOCK
                                       if nonblock else 0, size),
                             "IVMA_IOC_LOG_OPEN"))


def connect(path):
    """The object that "ivma touch --hold-socket path" holds (its fd over
    the Unix socket path, SCM_RIGHTS): the same object, not a copy."""
    return Object(_fd=_check(_hold_connect(os.fsencode(path)), path))
