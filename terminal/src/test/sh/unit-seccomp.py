#!/usr/bin/python3
"""Runs a command under the system-call restrictions of a systemd unit, without systemd.

    unit-seccomp.py UNIT-FILE -- COMMAND...

From UNIT-FILE: SystemCallFilter= (allow lists and ~deny lists, in order, with systemd's own
group definitions from `systemd-analyze syscall-filter`), SystemCallErrorNumber= (EPERM),
SystemCallArchitectures=native and RestrictAddressFamilies= (socket() of another family fails),
loaded as a seccomp filter with libseccomp (python3-seccomp) - as systemd does for the unit. The
caller sets no_new_privs first (setpriv --no-new-privs). Used by HardenedUnitStartTest.
"""
import errno
import os
import re
import socket
import subprocess
import sys

import seccomp


def groups():
    out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], check=True,
                         capture_output=True, text=True).stdout
    table, current = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            current = line.strip()
            table[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            table[current].append(line.strip())
    return table


def expand(name, table, seen=None):
    seen = seen if seen is not None else set()
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    calls = set()
    for item in table.get(name, []):
        calls |= expand(item, table, seen)
    return calls


def main():
    unit, cmd = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    table = groups()
    allowed, families, err = None, None, errno.EPERM
    for line in open(unit, encoding="utf-8"):
        line = line.strip()
        m = re.match(r"SystemCallFilter=(~?)(.*)", line)
        if m:
            names = set()
            for n in m.group(2).split():
                names |= expand(n, table)
            if m.group(1):
                allowed = (allowed if allowed is not None else set()) - names
            else:
                allowed = (allowed or set()) | names
        m = re.match(r"SystemCallErrorNumber=(\w+)", line)
        if m:
            err = getattr(errno, m.group(1))
        m = re.match(r"RestrictAddressFamilies=(.*)", line)
        if m:
            families = [getattr(socket, f) for f in m.group(1).split()]
    if allowed is None:
        raise SystemExit("no SystemCallFilter= in " + unit)
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(err))  # native architecture only
    for call in sorted(allowed):
        if call == "socket" and families is not None:
            continue
        try:
            f.add_rule(seccomp.ALLOW, call)
        except (RuntimeError, ValueError):
            pass  # a name this architecture does not have
    if families is not None:
        for fam in families:
            f.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, fam))
    f.load()
    os.execvp(cmd[0], cmd)


main()
