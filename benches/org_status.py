#!/usr/bin/env python3
"""Benchmark: `twofa org status` on an organization of N members (default 100,000).

Builds the database with twofa itself (schema, organization) and Python's sqlite3
(the members, in one transaction), then times several runs of the human and JSON
teammates table and prints the median and peak memory. Not part of the test suite:
performance figures come from here, never from timed assertions in tests.

    cargo build --release && python3 benches/org_status.py [N]
"""

import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
BIN = os.environ.get("TWOFA_BIN", os.path.join(os.path.dirname(__file__), "..", "target", "release", "twofa"))


def twofa(db, *args, stdout=subprocess.DEVNULL):
    env = dict(os.environ, HOME=os.path.dirname(db))
    return subprocess.run([BIN, "--db", db, *args], env=env, stdout=stdout, check=True)


def main():
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "bench.db")
        twofa(db, "org", "create", "big")
        twofa(db, "org", "require-2fa", "big", "on", "--grace", "7d")
        conn = sqlite3.connect(db)
        with conn:
            org = conn.execute("SELECT id FROM orgs WHERE name = 'big'").fetchone()[0]
            now = int(time.time())
            conn.executemany(
                "INSERT INTO users (id, name, created_at, sso) VALUES (?, ?, ?, ?)",
                ((i + 1000, f"user{i:06d}", now, int(i % 10 == 0)) for i in range(N)),
            )
            conn.executemany(
                "INSERT INTO memberships (org_id, user_id, role, joined_at, deadline) VALUES (?, ?, 'member', ?, ?)",
                ((org, i + 1000, now, now + (i % 3 - 1) * 86400) for i in range(N)),
            )
        conn.close()
        for label, args in (("human", ["org", "status", "big"]), ("json", ["--json", "org", "status", "big"])):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                twofa(db, *args)
                times.append(time.perf_counter() - start)
            print(f"org status ({label}), {N} members: median {statistics.median(times) * 1000:.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"peak resident memory of any run: {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
