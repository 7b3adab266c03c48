#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The Python module ivma (userspace/python/ivma.py) against the module,
in the guest: objects, maps, counters, budgets, readers and records, a
file section, errors, and the object of "ivma touch --hold-socket". TAP
output with the kselftest "# Totals:" line that run-guest reads. Built as
build/selftests/python_test (a copy), with libivma from build/lib/."""

import errno
import os
import subprocess
import sys
import tempfile
import time
import traceback

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))
os.environ.setdefault("IVMA_LIBIVMA",
                      os.path.join(TOP, "build", "lib", "libivma.so.1"))
sys.path.insert(0, os.path.join(TOP, "userspace", "python"))

import ivma  # noqa: E402

PS = os.sysconf("SC_PAGESIZE")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def eq(a, b, what=""):
    if a != b:
        raise AssertionError("%s: %r != %r" % (what, a, b))


@test
def anonymous_object_counters_and_records():
    with ivma.Object(size=16 * PS) as obj:
        reader = obj.reader()
        m = obj.map()
        for i in range(4):
            m[i * PS] = i + 1
        c = obj.counters()
        eq(c.size, 16 * PS, "size")
        eq(c.faults, 4, "faults")
        eq(c.write_faults, 4, "write_faults")
        eq(c.resident, 4, "resident")
        eq(c.events["zero-fill"], 4, "zero-fill")
        obj.budget(2, "lru")
        c = obj.counters()
        eq((c.frames, c.policy, c.resident), (2, 2, 2), "budget")
        eq(c.events["evict"], 2, "evict")
        eq(m[0], 1, "page 0 after its eviction")
        recs = list(reader.records())
        zf = [r for r in recs if r.kind == "zero-fill"]
        eq(len(zf), 4, "zero-fill records")
        eq(sorted(r.pgoff for r in zf), [0, 1, 2, 3], "their pages")
        eq({(r.pid, r.access, r.outcome) for r in zf},
           {(os.getpid(), "-w-u-", "ok")}, "their pid, access, outcome")
        eq(recs[0]._fields[:2], ("seq", "time_ns"), "a named tuple")
        eq([r.seq for r in recs], list(range(recs[0].seq,
                                             recs[0].seq + len(recs))),
           "gapless seq")
        s = reader.stats()
        eq((s["delivered"], s["lost"], s["used"]), (len(recs), 0, 0),
           "reader stats")
        m.close()
        reader.close()


@test
def file_section():
    with tempfile.TemporaryFile() as f:
        f.write(b"A" * PS + b"B" * 100)
        f.flush()
        with ivma.Object(file=f) as obj:
            eq(obj.size, 2 * PS, "size rounded up to pages")
            m = obj.map(write=False)
            eq(m[:2], b"AA", "page 0")
            eq(m[PS:PS + 2], b"BB", "page 1")
            eq(m[PS + 100], 0, "past the section")
            c = obj.counters()
            eq(c.events["file-read"], 2, "file-read")
            eq(c.section_len, PS + 100, "section_len")
            m.close()


@test
def errors():
    for kw, err in (({"size": PS + 1}, errno.EINVAL),
                    ({"size": PS, "device": "/nonexistent"}, errno.ENOENT),
                    ({"size": PS, "device": "/dev/null"}, errno.ENOTTY)):
        try:
            ivma.Object(**kw).close()
        except OSError as e:
            eq(e.errno, err, repr(kw))
        else:
            raise AssertionError("%r: no error" % kw)
    for bad in ({}, {"size": 0}):
        try:
            ivma.Object(**bad)
        except ValueError:
            pass
        else:
            raise AssertionError("%r: no ValueError" % bad)
    with ivma.Object(size=PS) as obj:
        try:
            obj.budget(1, "mru")
        except ValueError as e:
            eq("fifo, clock, lru" in str(e), True, str(e))
        else:
            raise AssertionError("policy mru accepted")
        try:
            obj.map(offset=PS, length=PS)
        except OSError as e:
            eq(e.errno, errno.ENXIO, "map past the end")
        else:
            raise AssertionError("a map past the end")


@test
def connect_to_a_held_object():
    path = "/tmp/ivma-python-hold"
    if os.path.exists(path):
        os.unlink(path)
    holder = subprocess.Popen(
        [os.path.join(TOP, "build", "ivma"), "touch", "-s", "64K", "--mode",
         "w", "--hold-socket", path],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):
            try:
                obj = ivma.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                time.sleep(0.05)
        else:
            raise AssertionError("no socket at %s" % path)
        before = obj.counters()
        eq((before.resident, before.events["zero-fill"]), (16, 16),
           "the holder's pages")
        m = obj.map(write=False)
        for i in range(16):
            want = b"ivma page %d\n" % i
            eq(m[i * PS:i * PS + len(want)], want, "page %d" % i)
        after = obj.counters()
        eq(after.id, before.id, "the same object")
        eq(after.events["resident"] - before.events["resident"], 16,
           "a resident fault per page read here")
        eq(after.events["zero-fill"], 16, "no page more")
        m.close()
        obj.close()
    finally:
        holder.terminate()
        out, err = holder.communicate(timeout=60)
    eq(holder.returncode, 0, err.decode())
    eq(b"the fd went to 1 process\n" in err, True, err.decode())


def main():
    print("TAP version 13")
    print("1..%d" % len(TESTS))
    passed = failed = 0
    for i, fn in enumerate(TESTS, 1):
        try:
            fn()
        except Exception:   # noqa: B902 - a failure is any exception
            failed += 1
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print("not ok %d %s" % (i, fn.__name__))
        else:
            passed += 1
            print("ok %d %s" % (i, fn.__name__))
        sys.stdout.flush()
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0"
          % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
