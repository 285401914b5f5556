#!/usr/bin/env python3
"""twofa performance benchmark: every figure as a ratio to a reference measured in the
same run, next to the target it is held to (PASS/MISS; a miss never fails the script).

    cargo build --release --locked && python3 benches/perf.py          # 1M users, 1M audit entries
    python3 benches/perf.py --tiny                                     # smoke check (CI), seconds
    python3 benches/perf.py --audit 10000000                           # audit --user at 10M entries
    python3 benches/perf.py --only postgres --pg postgres://u@127.0.0.1/postgres \
        --pg-socket 'postgresql:///postgres?host=/var/run/postgresql' \
        --pg-pooler 'postgresql:///postgres?host=/run/pgbouncer&port=6432'  # PostgreSQL beside SQLite

Needs Python 3.9+ (standard library only) and, for the references, `oathtool`,
`strace`, `argon2` (Debian packages of those names) and a C compiler (`cc`); a row
whose tool is missing says so and the rest still runs.

What it builds, in a temporary directory (HOME points there, so the master key goes to
$HOME/.config/twofa/master.key; everything runs as the database's owner, the operator):

- `one.db`: one user, enrolled and activated by twofa.
- `big.db`: --users users (default 1,000,000): the measured users are enrolled and
  activated by twofa itself; the rest are filler rows inserted by SQL (every other one
  with an active enrollment whose sealed secret is random bytes, one login-history row
  each), an organization of --members of them (default 100,000), and --audit filler
  audit entries (default 1,000,000) that continue the real hash chain, so that
  `audit verify` walks a valid chain of that length.

How a login is measured: each timed `verify` submits the user's current code on stdin
and must be accepted (exit 0). A code works once per 30 s step, so before each timed
run the benchmark moves the user's replay guard (factors.last_step) back by SQL,
untimed, in a connection it closes again: the timed process then does exactly what a
real login does. Every twofa process runs alone against a warm page cache unless the
measurement is about concurrency.

References, each a process spawned the same way as twofa:
- `oathtool --totp -w 1 -b SECRET CODE`: checks a code in a window of one step either
  side, like twofa with its default skew, and records nothing.
- the one-fsync floor: a C program compiled here (see FLOOR_C) that computes three
  HMAC-SHA1 and appends 28 KiB to a file in the database's directory with one write
  and one fdatasync: the least any check that durably records its outcome can cost.
- `argon2 SALT -id -t 2 -k 19456 -p 1 -l 32 -r`: one Argon2id hash with the parameters
  of twofa's backup codes (19 MiB, 2 passes, 1 lane, 32 bytes), reference C
  implementation; `-r` prints the hash only, without the second (verifying) hash the
  CLI does by default.

PostgreSQL (section `postgres`, with --pg or TWOFA_BENCH_PG, a server URL in whose
database the benchmark may create and drop one of its own; --pg-socket the same over
a Unix socket; --pg-pooler the same through a PgBouncer in transaction mode, over
its Unix socket; needs `psql`): `verify` over the Unix socket, through the pooler
and over TCP beside the same `verify` on an SQLite file, interleaved, each after the
user's replay guard was moved back (untimed, by psql or sqlite3); then rounds of 1 to
32 processes at once over TCP (and through the pooler), each verifying a different
user. PGPASSWORD, when set, reaches twofa through a `password_file` (never argv).

Syslog: twofa sends every audit entry to /dev/log when that socket exists, and a
syslog daemon that stops reading blocks it. As root, with `unshare` available, the
benchmark (--syslog auto, the default) reruns itself in a private mount namespace in
which /dev/log is a socket it drains itself, so the witness is measured at its real
cost and never stalls; --syslog system uses whatever the machine has.

Figures are only as quiet as the machine: run it on an otherwise idle one.
"""

import argparse
import base64
import hashlib
import hmac
import json
import math
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NS_ENV = "TWOFA_BENCH_IN_NAMESPACE"
COMMAND_TIMEOUT = 1800  # seconds; a twofa process that takes longer is reported as hung
FLOOR_BYTES = 28 * 1024
ARGON2_MEMORY_KIB = 19 * 1024
POOL_PREFIX = "bench-p"
JSON_AUDIT_MAX = 2_000_000  # the full `--json audit` listing is measured up to this many entries
SECTIONS = ("verify", "syscalls", "concurrency", "provisioning", "activation", "backup", "audit", "postgres")

# The one-fsync floor. It does what every durable TOTP check must do at least —
# compute the codes of the steps now-1, now and now+1 (three HMAC-SHA1 over a 20-byte
# key) and make a record of the outcome durable — with nothing else: no database, no
# parsing, no key file. The record is FLOOR_BYTES appended to FILE with one write()
# and one fdatasync(). `floor --selftest` checks the HMAC against RFC 6238's test
# vector (step 1 of key "12345678901234567890" is ...287082).
FLOOR_C = r"""
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct { uint32_t h[5]; uint64_t len; uint8_t buf[64]; size_t n; } sha1_ctx;

static uint32_t rol(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

static void sha1_block(sha1_ctx *c, const uint8_t *p) {
    uint32_t w[80], a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) { f = (b & cc) | (~b & d); k = 0x5a827999; }
        else if (i < 40) { f = b ^ cc ^ d; k = 0x6ed9eba1; }
        else if (i < 60) { f = (b & cc) | (b & d) | (cc & d); k = 0x8f1bbcdc; }
        else { f = b ^ cc ^ d; k = 0xca62c1d6; }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d; d = cc; cc = rol(b, 30); b = a; a = t;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d; c->h[4] += e;
}

static void sha1_init(sha1_ctx *c) {
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memcpy(c->h, iv, sizeof iv); c->len = 0; c->n = 0;
}

static void sha1_update(sha1_ctx *c, const uint8_t *p, size_t n) {
    c->len += n;
    while (n--) { c->buf[c->n++] = *p++; if (c->n == 64) { sha1_block(c, c->buf); c->n = 0; } }
}

static void sha1_final(sha1_ctx *c, uint8_t out[20]) {
    uint64_t bits = c->len * 8;
    uint8_t pad = 0x80, zero = 0;
    sha1_update(c, &pad, 1);
    while (c->n != 56) sha1_update(c, &zero, 1);
    for (int i = 7; i >= 0; i--) { uint8_t b = (uint8_t)(bits >> (8 * i)); sha1_update(c, &b, 1); }
    for (int i = 0; i < 20; i++) out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

static uint32_t totp(const uint8_t key[20], uint64_t step) {
    uint8_t k[64] = {0}, ipad[64], opad[64], msg[8], inner[20], mac[20];
    memcpy(k, key, 20);
    for (int i = 0; i < 64; i++) { ipad[i] = k[i] ^ 0x36; opad[i] = k[i] ^ 0x5c; }
    for (int i = 0; i < 8; i++) msg[i] = (uint8_t)(step >> (56 - 8 * i));
    sha1_ctx c;
    sha1_init(&c); sha1_update(&c, ipad, 64); sha1_update(&c, msg, 8); sha1_final(&c, inner);
    sha1_init(&c); sha1_update(&c, opad, 64); sha1_update(&c, inner, 20); sha1_final(&c, mac);
    int o = mac[19] & 15;
    uint32_t bin = (uint32_t)(mac[o] & 0x7f) << 24 | (uint32_t)mac[o + 1] << 16 | (uint32_t)mac[o + 2] << 8 | mac[o + 3];
    return bin % 1000000;
}

int main(int argc, char **argv) {
    static const uint8_t key[20] = {'1','2','3','4','5','6','7','8','9','0','1','2','3','4','5','6','7','8','9','0'};
    if (argc == 2 && strcmp(argv[1], "--selftest") == 0) return totp(key, 1) == 287082 ? 0 : 1;
    if (argc != 3) return 2;
    size_t bytes = strtoul(argv[2], NULL, 10);
    uint64_t step = (uint64_t)time(NULL) / 30;
    uint32_t acc = 0;
    for (int d = -1; d <= 1; d++) acc ^= totp(key, step + d);
    uint8_t *buf = calloc(1, bytes + 4);
    if (!buf) return 1;
    memcpy(buf, &acc, 4);
    int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return 1;
    size_t done = 0;
    while (done < bytes) {
        ssize_t w = write(fd, buf + done, bytes - done);
        if (w <= 0) return 1;
        done += (size_t)w;
    }
    if (fdatasync(fd) != 0) return 1;
    return close(fd) == 0 ? 0 : 1;
}
"""


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------
# Processes: wall time from spawn to reaped. (Not ru_maxrss: a child of this process
# starts with this process's peak RSS; peak memory comes from GNU time, see `peak`.)


class Result:
    def __init__(self, argv, wall, rc, out, start, end):
        self.argv, self.wall, self.rc, self.out = argv, wall, rc, out
        self.start, self.end = start, end


class Proc:
    """A spawned process and a thread that reaps it, so many can run at once and each
    has its own end time."""

    def __init__(self, argv, inp=b"", capture=False, env=None, stderr=None):
        self.argv = argv
        self.start = time.perf_counter()
        self.p = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            env=env,
        )
        self.result = None
        self._capture = capture
        self._inp = inp
        self._thread = threading.Thread(target=self._reap, daemon=True)
        self._thread.start()

    def _reap(self):
        try:
            if self._inp:
                self.p.stdin.write(self._inp)
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        out = b""
        if self._capture:
            out = self.p.stdout.read()
            self.p.stdout.close()
        _, status = os.waitpid(self.p.pid, 0)
        end = time.perf_counter()
        rc = os.waitstatus_to_exitcode(status)
        self.p.returncode = rc  # reaped here: Popen must not wait for it again
        self.result = Result(self.argv, end - self.start, rc, out, self.start, end)

    def wait(self, timeout=COMMAND_TIMEOUT):
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.p.kill()
            self._thread.join()
            raise SystemExit(
                f"error: {' '.join(self.argv[:6])} … still running after {timeout}s; killed. "
                "A twofa that hangs in sendto() is blocked on a syslog socket nobody reads (try --syslog private)."
            )
        return self.result


def run(argv, inp=b"", capture=False, env=None, stderr=None):
    return Proc(argv, inp, capture, env, stderr).wait()


def burst(cmds, env=None, stderr=None):
    """Starts every (argv, stdin) at once; returns their results in order."""
    procs = [Proc(argv, inp, False, env, stderr) for argv, inp in cmds]
    return [p.wait() for p in procs]


# ---------------------------------------------------------------------------------
# TOTP (RFC 6238: HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes it.


def secret_of(uri):
    m = re.search(r"[?&]secret=([A-Z2-7]+)", uri)
    if not m:
        raise SystemExit(f"error: no secret in {uri!r}")
    return m.group(1)


def totp(secret_b32, step):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o : o + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def step_now():
    return int(time.time()) // 30


# ---------------------------------------------------------------------------------
# Statistics and the report.


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def p99(xs):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[max(0, math.ceil(0.99 * len(s)) - 1)]


def ms(s):
    return f"{s * 1000:.1f} ms" if s == s else "n/a"


def mib(kib):
    return "n/a (no /usr/bin/time)" if kib is None else f"{kib / 1024:.1f} MiB"


def net(x, ref, spawn):
    """The same ratio with the cost of spawning a process (/bin/true) taken off both."""
    return f" (net of spawn {(x - spawn) / (ref - spawn):.1f}x)" if ref > spawn else ""


def gnu_time():
    """/usr/bin/time if it reports peak memory with -f %M (GNU time, Debian package `time`)."""
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    r = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True)
    last = r.stderr.split()[-1:]
    return path if r.returncode == 0 and last and last[0].isdigit() else None


class Report:
    def __init__(self):
        self.rows = []  # (section, measurement, figure, target, verdict)

    def add(self, section, what, figure, target="", ok=None, note=""):
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        if note and not verdict:
            verdict = note
        self.rows.append((section, what, figure, target, verdict))

    def skip(self, section, what, why, target=""):
        self.rows.append((section, what, f"skipped: {why}", target, "n/a"))

    def print(self):
        w1 = max(len(r[1]) for r in self.rows)
        w2 = max(len(r[2]) for r in self.rows)
        w3 = max(max(len(r[3]) for r in self.rows), len("target"))
        section = None
        print()
        print(f"{'measurement':<{w1}}  {'figure':<{w2}}  {'target':<{w3}}  verdict")
        print(f"{'-' * w1}  {'-' * w2}  {'-' * w3}  -------")
        for sec, what, fig, target, verdict in self.rows:
            if sec != section:
                print(f"== {sec}")
                section = sec
            print(f"{what:<{w1}}  {fig:<{w2}}  {target:<{w3}}  {verdict}".rstrip())
        misses = sum(1 for r in self.rows if r[4] == "MISS")
        passes = sum(1 for r in self.rows if r[4] == "PASS")
        print(f"\n{passes} of {passes + misses} targets met, {misses} missed (a miss is reported, not an error).")


# ---------------------------------------------------------------------------------
# The benchmark.


class Bench:
    def __init__(self, args, wd):
        self.args = args
        self.wd = wd
        self.bin = os.path.abspath(args.bin)
        self.errlog = open(os.path.join(wd, "stderr.log"), "ab")
        self.report = Report()
        # Each database in its own directory, which is HOME for twofa on it: the master
        # key ($HOME/.config/twofa/master.key) names the one database it belongs to.
        self.one = os.path.join(wd, "one", "one.db")
        self.big = os.path.join(wd, "big", "big.db")
        for db in (self.one, self.big):
            os.mkdir(os.path.dirname(db), 0o700)
        self.pool = []  # [(name, secret, backup codes)] in big.db
        self.backup_next = {}  # name -> index of the next unused backup code
        self.one_user = None
        self.quiet_user = None
        self.activations = []  # Results of activating pool users
        self.enrolls = []  # Results of `enroll` (pending) of pool users
        self.tools = {t: shutil.which(t) for t in ("oathtool", "strace", "argon2", "cc")}
        self.tools["time"] = gnu_time()
        self.floor = None

    # -- helpers ------------------------------------------------------------------

    def env(self, db):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.path.dirname(db), "LANG": "C.UTF-8"}

    def tw_argv(self, db, *args):
        return [self.bin, "--db", db, *args]

    def twofa(self, db, *args, inp=b"", capture=False, expect=(0,)):
        r = run(self.tw_argv(db, *args), inp, capture, self.env(db), self.errlog)
        if expect is not None and r.rc not in expect:
            self.errlog.flush()
            raise SystemExit(f"error: twofa {' '.join(args)} exited {r.rc}; see {self.errlog.name}:\n{self.tail_err()}")
        return r

    def tail_err(self):
        try:
            with open(self.errlog.name, "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def peak(self, argv, inp=b"", env=None):
        """Peak resident memory (KiB) of one run of argv, from GNU time's %M: it forks
        from a process of its own ~2 MiB, whereas a child of this Python process
        inherits this process's peak into its ru_maxrss. None without /usr/bin/time."""
        if not self.tools["time"]:
            return None
        out = os.path.join(self.wd, "time.out")
        r = run([self.tools["time"], "-f", "%M", "-o", out, *argv], inp, env=env, stderr=self.errlog)
        if r.rc != 0:
            log(f"note: {' '.join(argv[3:6])} exited {r.rc} in the peak-memory run")
        try:
            return int(open(out).read().split()[-1])
        except (OSError, ValueError, IndexError):
            return None

    def tw_peak(self, db, *args, inp=b""):
        return self.peak(self.tw_argv(db, *args), inp, self.env(db))

    def private(self, db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.chmod(db + suffix, 0o600)

    def reset_steps(self, db, names):
        """Moves the replay guard of `names` two steps back (untimed), so that the next
        current code is accepted as a real login would be. Closes its connection, so
        twofa again runs alone on the database."""
        conn = sqlite3.connect(db, timeout=60, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "UPDATE factors SET last_step = ? WHERE kind = 'totp' AND user_id = (SELECT id FROM users WHERE name = ?)",
                [(step_now() - 2, n) for n in names],
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
        self.private(db)
        # Python's sqlite3, as the last connection, checkpoints and deletes the WAL on
        # close (twofa does neither): one untimed write by twofa puts the database back in
        # the state a stream of logins keeps it in, so the timed run is a usual one.
        self.twofa(db, "config", "set", "issuer", "twofa", capture=True)

    def enroll_active(self, db, name):
        """Enrolls and activates `name` the scripted way; returns (secret, backup codes,
        the enroll Result, the activation Result)."""
        r = self.twofa(db, "--json", "enroll", name, capture=True)
        secret = secret_of(json.loads(r.out)["otpauth_uri"])
        # The previous step's code (accepted with the default skew of 1): the current
        # code then still works for a first login.
        a = self.twofa(db, "--json", "enroll", name, "--code", "-",
                       inp=(totp(secret, step_now() - 1) + "\n").encode(), capture=True, expect=None)
        if a.rc == 1:  # the step turned between the two calls
            a = self.twofa(db, "--json", "enroll", name, "--code", "-",
                           inp=(totp(secret, step_now()) + "\n").encode(), capture=True)
        elif a.rc != 0:
            raise SystemExit(f"error: activating {name} exited {a.rc}:\n{self.tail_err()}")
        return secret, json.loads(a.out)["backup_codes"], r, a

    def verify_cmd(self, db, name, code):
        return self.tw_argv(db, "verify", name, "--code", "-"), (code + "\n").encode()

    def next_backup(self, name):
        i = self.backup_next.get(name, 0)
        codes = dict((n, c) for n, _, c in self.pool)[name]
        if i >= len(codes):
            return None
        self.backup_next[name] = i + 1
        return codes[i]

    # -- building -----------------------------------------------------------------

    def build(self):
        a = self.args
        log(f"one.db: one user, enrolled by twofa")
        name = "bench-one"
        secret, codes, _, _ = self.enroll_active(self.one, name)
        self.one_user = (name, secret, codes)

        log(f"big.db: schema and organization by twofa")
        self.twofa(self.big, "user", "add", "bench-owner", "--sso")
        self.twofa(self.big, "org", "create", "big", "--owner", "bench-owner")
        self.twofa(self.big, "org", "require-2fa", "big", "on", "--grace", "7d")
        # The first pending enrollment creates the master key; the filler's sealed
        # secrets must not come first (twofa never makes a new key for a database
        # that holds sealed secrets).
        self.twofa(self.big, "enroll", f"{POOL_PREFIX}000", "--qr", "none")
        pool = a.pool
        filler = max(0, a.users - pool)
        t0 = time.perf_counter()
        log(f"big.db: {filler:,} filler users, {a.members:,} members, {a.audit:,} audit entries by SQL")
        self.fill(filler, min(a.members, filler), a.audit)
        log(f"big.db: filled in {time.perf_counter() - t0:.0f} s ({os.path.getsize(self.big) / 2**20:.0f} MiB)")

        log(f"big.db: {pool} users enrolled and activated by twofa (the activation samples)")
        for i in range(pool):
            name = f"{POOL_PREFIX}{i:03d}"
            secret, codes, e, act = self.enroll_active(self.big, name)
            self.pool.append((name, secret, codes))
            if i > 0:  # the first one's pending enrollment was made before the filler
                self.enrolls.append(e)
            self.activations.append(act)

    def fill(self, n_users, n_members, n_audit):
        conn = sqlite3.connect(self.big, isolation_level=None)
        conn.execute("PRAGMA journal_mode = MEMORY")  # bulk load only; twofa puts WAL back
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        now = int(time.time())
        conn.execute("BEGIN")
        first = (conn.execute("SELECT coalesce(max(id), 0) FROM users").fetchone()[0]) + 1
        ids = range(first, first + n_users)
        conn.executemany(
            "INSERT INTO users (id, name, created_at, sso) VALUES (?, ?, ?, ?)",
            ((uid, f"user{uid:07d}", now - 86400, int(uid % 10 == 0)) for uid in ids),
        )
        # Every other filler user has active 2FA (its sealed secret is random bytes:
        # never opened, since nobody verifies as a filler user) and one past login.
        step = now // 30
        conn.executemany(
            "INSERT INTO factors (user_id, kind, state, secret, issuer, algorithm, digits, period, enrolled_at,"
            " activated_at, last_used_at, last_step, sealed)"
            " VALUES (?, 'totp', 'active', ?, 'twofa', 'SHA1', 6, 30, ?, ?, ?, ?, 1)",
            ((uid, os.urandom(72), now - 86400, now - 86400, now - 3600, step - 120) for uid in ids if uid % 2 == 0),
        )
        conn.executemany(
            "INSERT INTO verifications (user_id, at, purpose, method, outcome, step_offset)"
            " VALUES (?, ?, 'verify', 'totp', 'accepted', 0)",
            ((uid, now - 3600) for uid in ids if uid % 2 == 0),
        )
        org = conn.execute("SELECT id FROM orgs WHERE name = 'big'").fetchone()[0]
        conn.executemany(
            "INSERT INTO memberships (org_id, user_id, role, joined_at, deadline) VALUES (?, ?, 'member', ?, ?)",
            ((org, uid, now - 86400, now + (uid % 3 - 1) * 86400) for uid in ids[:n_members]),
        )
        self.fill_audit(conn, n_audit, ids, now)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        self.private(self.big)

    def fill_audit(self, conn, n, ids, now):
        """Appends n entries that continue the hash chain exactly as twofa computes it
        (src/audit.rs `chain`, v2 entries): SHA-256 over the domain tag, the previous
        hash, id and time as big-endian i64, then each field length-prefixed (u32
        big-endian; u32::MAX for an absent field)."""
        last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        prev_id, prev = last if last else (0, bytes(32))

        def enc(s):
            if s is None:
                return b"\xff\xff\xff\xff"
            b = s.encode()
            return struct.pack(">I", len(b)) + b

        head = enc("root") + enc("os")  # actor, actor_via
        tail = enc("root") + enc(None) + enc("operator")  # os_user, sudo_user, operator
        kinds = [  # (action, outcome, details)
            ("verify", "accepted", "totp, step offset +0"),
            ("verify", "wrong", "totp, failure 1"),
            ("enroll", "ok", "pending; SHA1, 6 digits, 30s, issuer twofa"),
            ("activate", "accepted", "totp, step offset -1"),
        ]
        kinds = [(a, o, d, enc(a), enc(o), enc(d)) for a, o, d in kinds]
        n_ids = max(1, len(ids))
        # The subject of the oldest filler entry: a user with few entries, one of them at
        # the far end of the log, so that `audit --user` has to reach it.
        self.quiet_user = f"user{ids[0]:07d}" if len(ids) else None

        def rows(prev):
            for i in range(n):
                eid = prev_id + 1 + i
                at = now - n + i
                subject = f"user{ids[(i * 7919) % n_ids]:07d}" if len(ids) else "nobody"
                k = i % 20
                action, outcome, details, ea, eo, ed = kinds[0 if k < 16 else 1 if k < 18 else 2 if k == 18 else 3]
                buf = b"".join((b"twofa-audit-v2", prev, struct.pack(">qq", eid, at), head, ea, enc(subject),
                                b"\xff\xff\xff\xff", eo, b"\xff\xff\xff\xff", b"\xff\xff\xff\xff", ed, tail))
                h = hashlib.sha256(buf).digest()
                prev = h
                yield (eid, at, "root", "os", action, subject, None, outcome, None, None, details, h, "root", None, 1)

        conn.executemany(
            "INSERT INTO audit (id, at, actor, actor_via, action, subject, org, outcome, reason, ticket, details, hash,"
            " os_user, sudo_user, operator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(bytes(prev)),
        )

    def build_floor(self):
        if not self.tools["cc"]:
            return
        src = os.path.join(self.wd, "floor.c")
        exe = os.path.join(self.wd, "floor")
        with open(src, "w") as f:
            f.write(FLOOR_C)
        r = subprocess.run([self.tools["cc"], "-O2", "-o", exe, src], capture_output=True, text=True)
        if r.returncode != 0:
            log(f"cc failed, no one-fsync floor:\n{r.stderr}")
            return
        if subprocess.run([exe, "--selftest"]).returncode != 0:
            raise SystemExit("error: the floor's HMAC-SHA1 fails RFC 6238's test vector")
        self.floor = exe

    # -- 1. one login: twofa vs oathtool vs the floor -------------------------------

    def sequential_verify(self):
        a, R = self.args, self.report
        sec = "verify: one login"
        name1, secret1, _ = self.one_user
        bigname, bigsecret, _ = self.pool[0]
        floor_file = os.path.join(self.wd, "big", "floor.log")
        t = {"one": [], "big": [], "oath": [], "floor": [], "true": []}
        bad = []
        log(f"verify: {a.runs} interleaved runs of twofa (1 user, {a.users:,} users), oathtool, the floor")
        for i in range(a.runs):
            self.reset_steps(self.one, [name1])
            code = totp(secret1, step_now())
            r = run(*self.verify_cmd(self.one, name1, code), env=self.env(self.one), stderr=self.errlog)
            (t["one"] if r.rc == 0 else bad).append(r.wall if r.rc == 0 else ("one", r.rc))
            self.reset_steps(self.big, [bigname])
            r = run(*self.verify_cmd(self.big, bigname, totp(bigsecret, step_now())), env=self.env(self.big),
                    stderr=self.errlog)
            (t["big"] if r.rc == 0 else bad).append(r.wall if r.rc == 0 else ("big", r.rc))
            if self.tools["oathtool"]:
                r = run([self.tools["oathtool"], "--totp", "-w", "1", "-b", secret1, code])
                (t["oath"] if r.rc == 0 else bad).append(r.wall if r.rc == 0 else ("oathtool", r.rc))
            if self.floor:
                r = run([self.floor, floor_file, str(FLOOR_BYTES)])
                (t["floor"] if r.rc == 0 else bad).append(r.wall if r.rc == 0 else ("floor", r.rc))
            r = run(["/bin/true"])
            t["true"].append(r.wall)
        if bad:
            R.add(sec, "runs not accepted (should be none)", f"{len(bad)}: {bad[:5]}", "0", False)
        m = {k: median(v) for k, v in t.items()}
        R.add(sec, "twofa verify, 1 user (median)", ms(m["one"]), note="this machine")
        R.add(sec, f"twofa verify, {a.users:,} users (median)", ms(m["big"]), note="this machine")
        self.reset_steps(self.one, [name1])
        p1 = self.tw_peak(self.one, "verify", name1, "--code", "-", inp=(totp(secret1, step_now()) + "\n").encode())
        self.reset_steps(self.big, [bigname])
        p2 = self.tw_peak(self.big, "verify", bigname, "--code", "-", inp=(totp(bigsecret, step_now()) + "\n").encode())
        R.add(sec, "verify peak memory, 1 user / big", f"{mib(p1)} / {mib(p2)}", note="info")
        R.add(sec, "spawn of /bin/true, for scale (median)", ms(m["true"]), note="this machine")
        if self.tools["oathtool"]:
            R.add(sec, "oathtool --totp -w 1 (median)", ms(m["oath"]), note="this machine")
            for k, label in (("one", "1 user"), ("big", f"{a.users:,} users")):
                x = m[k] / m["oath"]
                R.add(sec, f"verify / oathtool, {label}", f"{x:.2f}x{net(m[k], m['oath'], m['true'])}", "<= 2x", x <= 2)
        else:
            R.skip(sec, "verify / oathtool", "oathtool not installed", "<= 2x")
        if self.floor:
            R.add(sec, "one-fsync floor (median)", ms(m["floor"]), note="this machine")
            for k, label in (("one", "1 user"), ("big", f"{a.users:,} users")):
                x = m[k] / m["floor"]
                R.add(sec, f"verify / one-fsync floor, {label}", f"{x:.2f}x{net(m[k], m['floor'], m['true'])}", "<= 1.5x",
                      x <= 1.5)
        else:
            R.skip(sec, "verify / one-fsync floor", "no C compiler (cc)", "<= 1.5x")

    # -- 2. syscalls and fsyncs -----------------------------------------------------

    def strace(self, argv, inp=b"", env=None):
        """Runs argv under strace -f -T; returns (syscalls, {name: count}, fsyncs
        [(call, file)], {file: bytes written}, {name: seconds inside}, exit code), or
        None when strace produced no trace."""
        out = os.path.join(self.wd, "strace.txt")
        r = run([self.tools["strace"], "-f", "-qq", "-T", "-o", out, *argv], inp, env=env, stderr=self.errlog)
        if not os.path.exists(out) or os.path.getsize(out) == 0:
            return None
        counts, fsyncs, written, spent = {}, [], {}, {}
        fds = {}
        call_re = re.compile(r"^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*)$")
        for line in open(out, errors="replace"):
            m = call_re.match(line)
            if not m:
                continue
            pid, resumed, name, rest = m.groups()
            dur = re.search(r"<(\d+\.\d+)>\s*$", line)
            call = resumed or name
            if dur:
                spent[call] = spent.get(call, 0.0) + float(dur.group(1))
            if resumed:
                continue
            counts[name] = counts.get(name, 0) + 1
            ret = re.search(r"\)\s+=\s+(-?\d+)", rest)
            ret = int(ret.group(1)) if ret else None
            if name in ("openat", "open") and ret is not None and ret >= 0:
                p = re.search(r'"([^"]*)"', rest)
                path = p.group(1) if p else "?"
                fds[(pid, ret)] = "the directory" if os.path.isdir(path) else os.path.basename(path)
            elif name == "close":
                fd = re.match(r"(\d+)", rest)
                if fd:
                    fds.pop((pid, int(fd.group(1))), None)
            elif name in ("fsync", "fdatasync"):
                fd = int(re.match(r"(\d+)", rest).group(1))
                fsyncs.append((name, fds.get((pid, fd), f"fd {fd}")))
            elif name in ("write", "pwrite64", "writev", "pwritev", "pwritev2") and ret and ret > 0:
                fd = int(re.match(r"(\d+)", rest).group(1))
                f = fds.get((pid, fd), f"fd {fd}")
                written[f] = written.get(f, 0) + ret
        if r.rc != 0:
            log(f"note: {' '.join(argv[:4])} exited {r.rc} under strace")
        return sum(counts.values()), counts, fsyncs, written, spent, r.rc

    def syscalls(self):
        a, R = self.args, self.report
        sec = "verify: syscalls and fsyncs (strace -f)"
        if not self.tools["strace"]:
            R.skip(sec, "fsyncs per check", "strace not installed", "<= 2")
            return
        self.strace_detail = []
        name1, secret1, _ = self.one_user
        bigname, bigsecret, _ = self.pool[0]
        cases = []
        self.reset_steps(self.one, [name1])
        cases.append(("verify, 1 user", self.strace(*self.verify_cmd(self.one, name1, totp(secret1, step_now())),
                                                    env=self.env(self.one))))
        self.reset_steps(self.big, [bigname])
        cases.append((f"verify, {a.users:,} users",
                      self.strace(*self.verify_cmd(self.big, bigname, totp(bigsecret, step_now())),
                                  env=self.env(self.big))))
        if self.tools["oathtool"]:
            cases.append(("oathtool --totp -w 1", self.strace([self.tools["oathtool"], "--totp", "-w", "1", "-b",
                                                                secret1, totp(secret1, step_now())])))
        if self.floor:
            cases.append(("one-fsync floor", self.strace([self.floor, os.path.join(self.wd, "big", "floor.log"),
                                                           str(FLOOR_BYTES)])))
        for label, res in cases:
            if res is None:
                R.skip(sec, label, "strace produced no trace (ptrace not permitted?)", "<= 2")
                continue
            total, counts, fsyncs, written, spent, rc = res
            R.add(sec, f"{label}: syscalls", str(total), note="info" if rc == 0 else f"exit {rc}")
            if label.startswith("verify"):
                R.add(sec, f"{label}: fsync + fdatasync", str(len(fsyncs)), "<= 2", len(fsyncs) <= 2)
                per_file = {}
                for call, f in fsyncs:
                    per_file[f"{call}({f})"] = per_file.get(f"{call}({f})", 0) + 1
                wr = ", ".join(f"{f} {b / 1024:.1f} KiB" for f, b in sorted(written.items(), key=lambda x: -x[1])
                               if b >= 512)
                top = sorted(counts.items(), key=lambda x: -x[1])[:6]
                sync_ms = sum(v for k, v in spent.items() if k in ("fsync", "fdatasync")) * 1000
                self.strace_detail.append(
                    f"{label}: " + ", ".join(f"{k} x{v}" for k, v in per_file.items())
                    + f" ({sync_ms:.1f} ms inside them); wrote {wr}; most frequent: "
                    + ", ".join(f"{k} x{v}" for k, v in top)
                )
            else:
                R.add(sec, f"{label}: fsync + fdatasync", str(len(fsyncs)), note="info")

    # -- 3. concurrency, idle and while provisioning ---------------------------------

    def concurrency(self):
        a, R = self.args, self.report
        sec = "verify: concurrent processes (big.db)"
        levels = [n for n in a.concurrency if n <= len(self.pool)]
        idle, prov = {}, {}
        for label, store in (("idle", idle), ("provisioning", prov)):
            workers = []
            if label == "provisioning":
                workers = [Provisioner(self, "prov-c")]
                for w in workers:
                    w.start()
                time.sleep(1.0)
            for n in levels:
                store[n] = self.rounds(n, label)
            for w in workers:
                w.stop()
            if workers:
                R.add(sec, "activations by the provisioning loop meanwhile", str(sum(len(w.done) for w in workers)),
                      note="info")
        for n in levels:
            (ti, li, bi), (tp, lp, bp) = idle[n], prov[n]
            procs = f"{n:>2} process{'es' if n > 1 else ''}"
            R.add(sec, f"{procs}, idle: verifies/s, p99", f"{ti:.0f}/s, p99 {ms(p99(li))} (n={len(li)})",
                  note="this machine" if not bi else f"{bi} not accepted")
            R.add(sec, f"{procs}, provisioning: verifies/s, p99", f"{tp:.1f}/s, p99 {ms(p99(lp))} (n={len(lp)})",
                  note="this machine" if not bp else f"{bp} not accepted")
            x = tp / ti if ti else float("nan")
            R.add(sec, f"{procs}: provisioning / idle verifies/s", f"{x:.2f}", ">= 0.5", x >= 0.5)
        top = max(levels)
        for label, store in (("idle", idle), ("provisioning", prov)):
            v = p99(store[top][1])
            R.add(sec, f"p99 at {top} processes, {label}", ms(v), "<= 50 ms" if top >= 32 else "<= 50 ms (at 32)",
                  v <= 0.050)

    def rounds(self, n, label):
        """Rounds of n processes started at once, each verifying a different pool
        user's current code; returns (verifies/s, latencies, not accepted)."""
        total = max(self.args.min_rounds, math.ceil(self.args.samples / n))
        lat, wall, bad = [], 0.0, 0
        log(f"concurrency {label}: {n} processes x {total} rounds (at most {self.args.level_seconds:g} s)")
        users = self.pool[:n]
        deadline = time.perf_counter() + self.args.level_seconds
        for i in range(total):
            if i and time.perf_counter() > deadline:
                log(f"concurrency {label}: {n} processes: time budget spent after {i} rounds")
                break
            self.reset_steps(self.big, [u[0] for u in users])
            step = step_now()
            cmds = [self.verify_cmd(self.big, name, totp(secret, step)) for name, secret, _ in users]
            res = burst(cmds, self.env(self.big), self.errlog)
            wall += max(r.end for r in res) - min(r.start for r in res)
            for r in res:
                lat.append(r.wall)
                bad += r.rc != 0
        return len(lat) / wall, lat, bad

    # -- 4. provisioning rate ---------------------------------------------------------

    def provisioning(self):
        a, R = self.args, self.report
        sec = "provisioning: enroll + activate loops (big.db)"
        rates = {}
        for k in (1, 2):
            log(f"provisioning: {k} worker(s) for {a.provision_seconds:g} s")
            workers = [Provisioner(self, f"prov-{k}w{j}-") for j in range(k)]
            t0 = time.perf_counter()
            for w in workers:
                w.start()
            time.sleep(a.provision_seconds)
            t1 = time.perf_counter()
            for w in workers:
                w.stop()
            done = sum(1 for w in workers for t in w.done if t0 <= t <= t1)
            rates[k] = done * 60 / (t1 - t0)
            R.add(sec, f"{k} worker{'s' if k > 1 else ''}: activations/min",
                  f"{rates[k]:.0f}/min ({done} in {t1 - t0:.0f} s)",
                  note="this machine")
        x = rates[2] / rates[1] if rates[1] else float("nan")
        R.add(sec, "2 workers / 1 worker", f"{x:.2f}x", ">= 1.6x", x >= 1.6)

    # -- 5. activation ----------------------------------------------------------------

    def activation(self):
        R = self.report
        sec = "activation (enroll USER --code -, big.db, sequential)"
        t = [r.wall for r in self.activations]
        R.add(sec, f"activation time (median of {len(t)})", ms(median(t)), note="this machine")
        R.add(sec, "enroll, pending (median)", ms(median([r.wall for r in self.enrolls])), note="this machine")
        peaks = []
        for i in range(self.args.mem_runs):
            name = f"bench-mem{i}"
            r = self.twofa(self.big, "--json", "enroll", name, capture=True)
            secret = secret_of(json.loads(r.out)["otpauth_uri"])
            peaks.append(self.tw_peak(self.big, "enroll", name, "--code", "-",
                                      inp=(totp(secret, step_now()) + "\n").encode()))
        if None in peaks:
            R.skip(sec, "activation peak memory", "no GNU /usr/bin/time (Debian package `time`)", "<= 40 MiB")
        else:
            R.add(sec, f"activation peak memory (max of {len(peaks)})", mib(max(peaks)), "<= 40 MiB",
                  max(peaks) <= 40 * 1024)

    # -- 6. backup codes --------------------------------------------------------------

    def backup(self):
        a, R = self.args, self.report
        sec = "backup codes (big.db)"
        argon2 = self.tools["argon2"]
        tb, ta, bad = [], [], 0
        log(f"backup codes: {a.backup_runs} interleaved runs of twofa and argon2")
        users = [u[0] for u in self.pool]
        for i in range(a.backup_runs):
            name = users[i % len(users)]
            code = self.next_backup(name)
            if code is None:
                break
            r = run(*self.verify_cmd(self.big, name, code), env=self.env(self.big), stderr=self.errlog)
            if r.rc == 0:
                tb.append(r.wall)
            else:
                bad += 1
            if argon2:
                r = run([argon2, "twofa-bench-salt", "-id", "-t", "2", "-k", str(ARGON2_MEMORY_KIB), "-p", "1",
                         "-l", "32", "-r"], code.encode())
                if r.rc == 0:
                    ta.append(r.wall)
        R.add(sec, "backup-code verify (median)", ms(median(tb)), note="this machine" if not bad else f"{bad} refused")
        if argon2 and ta:
            R.add(sec, "one Argon2id hash, argon2 CLI (median)", ms(median(ta)), note="this machine")
            x = median(tb) / median(ta)
            R.add(sec, "backup-code verify / one Argon2id hash", f"{x:.2f}x", "<= 1.2x", x <= 1.2)
        else:
            R.skip(sec, "backup-code verify / one Argon2id hash", "argon2 not installed", "<= 1.2x")
        # Scaling: rounds of P processes, each a different user's unused backup code.
        cores = os.cpu_count() or 1
        levels = sorted({1, min(cores, len(users))} | {p for p in (2, 4, 8, 16) if p < min(cores, len(users))})
        rate = {}
        for p in levels:
            lat, wall, done, refused = [], 0.0, 0, 0
            log(f"backup codes: {p} processes x {a.backup_rounds} rounds")
            for rnd in range(a.backup_rounds):
                picked = []
                for name in users:
                    if len(picked) == p:
                        break
                    code = self.next_backup(name)
                    if code is not None:
                        picked.append((name, code))
                if len(picked) < p:
                    break
                res = burst([self.verify_cmd(self.big, n, c) for n, c in picked], self.env(self.big), self.errlog)
                wall += max(r.end for r in res) - min(r.start for r in res)
                done += len(res)
                refused += sum(r.rc != 0 for r in res)
                lat += [r.wall for r in res]
            if wall:
                rate[p] = done / wall
                R.add(sec, f"{p} process{'es' if p > 1 else ''}: backup verifies/s, p99",
                      f"{rate[p]:.1f}/s, p99 {ms(p99(lat))}", note="this machine" if not refused else f"{refused} refused")
        top = max(rate) if rate else 1
        if top > 1 and 1 in rate:
            x = rate[top] / rate[1]
            R.add(sec, f"scaling {top} processes / 1 ({cores} cores)", f"{x:.2f}x",
                  f">= {0.8 * top:.1f}x (80% of linear)", x >= 0.8 * top)
        else:
            R.add(sec, "scaling with processes", f"{cores} core(s): nothing to compare", note="n/a")

    # -- 7. audit log and organization ------------------------------------------------

    def audit_and_org(self):
        a, R = self.args, self.report
        sec = f"audit log ({a.audit:,} filler entries) and org status ({a.members:,} members), big.db"
        n_audit = conn_count(self.big, "SELECT count(*) FROM audit")
        user = self.pool[0][0]

        def timed(args, runs, expect=(0,), check=None):
            t, rcs = [], set()
            for i in range(runs):
                r = self.twofa(self.big, *args, capture=check is not None and i == 0, expect=expect)
                if check is not None and i == 0:
                    check(r.out)
                t.append(r.wall)
                rcs.add(r.rc)
            return median(t), self.tw_peak(self.big, *args), rcs

        def check_json(out):
            got = len(json.loads(out))
            if got != n_audit:
                raise SystemExit(f"error: --json audit printed {got} entries, the database holds {n_audit}")

        if n_audit <= JSON_AUDIT_MAX:
            log(f"audit: --json audit over {n_audit:,} entries x {a.audit_runs}")
            t, peak, _ = timed(["--json", "audit"], a.audit_runs, check=check_json if a.tiny else None)
            R.add(sec, f"--json audit, all {n_audit:,} entries: time", ms(t), note="this machine")
            R.add(sec, f"--json audit, all {n_audit:,} entries: peak memory", mib(peak), "<= 32 MiB",
                  None if peak is None else peak <= 32 * 1024)
        else:
            # Its target is set at 1M entries; a twofa that holds the whole log in memory
            # could exhaust the machine's at 10M.
            R.skip(sec, "--json audit, all entries", f"measured up to {JSON_AUDIT_MAX:,} entries", "<= 32 MiB (at 1M)")
        target_note = "<= 10 ms" + ("" if n_audit >= 10_000_000 else " (at 10M)")
        users = [(user, "recent user")]
        if self.quiet_user:
            users.append((self.quiet_user, "quiet user"))
        for who, kind in users:
            n_x = conn_count(self.big, "SELECT count(*) FROM audit WHERE subject = ?", who)
            for args, label in ((["audit", "--user", who], "audit --user"),
                                (["--json", "audit", "--user", who], "--json audit --user")):
                t, peak, _ = timed(args, a.runs)
                R.add(sec, f"{label} X, {kind} ({n_x} of {n_audit:,} entries)", f"{ms(t)}, peak {mib(peak)}",
                      target_note, t <= 0.010)
        t, peak, rcs = timed(["audit", "verify"], a.audit_runs, expect=(0, 8))
        R.add(sec, f"audit verify, {n_audit:,} entries", f"{ms(t)}, peak {mib(peak)}",
              note="chain intact" if rcs == {0} else "chain BROKEN (exit 8)")
        for args, label in ((["org", "status", "big"], "org status"),
                            (["--json", "org", "status", "big"], "--json org status")):
            t, peak, _ = timed(args, a.org_runs)
            R.add(sec, f"{label}, {a.members:,} members", f"{ms(t)}, peak {mib(peak)}", note="this machine")

    # -- 8. PostgreSQL beside SQLite ------------------------------------------------

    def postgres(self):
        a, R = self.args, self.report
        sec = "verify: PostgreSQL beside SQLite"
        target = "socket <= 2x SQLite"
        if not a.pg:
            R.skip(sec, "verify on PostgreSQL", "no server: pass --pg URL or set TWOFA_BENCH_PG", target)
            return
        psql = shutil.which("psql")
        if not psql:
            R.skip(sec, "verify on PostgreSQL", "psql not installed", target)
            return
        name = f"twofa_bench_{os.getpid()}"
        home = os.path.join(self.wd, "pg")
        os.mkdir(home, 0o700)
        extra = ""
        if os.environ.get("PGPASSWORD"):
            pw = os.path.join(home, "pgpassword")
            with open(os.open(pw, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                f.write(os.environ["PGPASSWORD"] + "\n")
            extra = f"password_file={pw}"
        tcp = pg_url(a.pg, name, extra)
        sock = pg_url(a.pg_socket, name, extra) if a.pg_socket else None
        pooled = pg_url(a.pg_pooler, name, extra) if a.pg_pooler else None

        def sql(statement, db=name):
            r = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg_url(a.pg, db), "-c", statement],
                               stdout=subprocess.DEVNULL, stderr=self.errlog)
            if r.returncode != 0:
                raise SystemExit(f"error: psql failed ({statement[:60]}); see {self.errlog.name}")

        base_db = pg_dbname(a.pg)
        sql(f"CREATE DATABASE {name}", base_db)
        try:
            self._postgres(sec, target, tcp, sock, pooled, home, sql)
        finally:
            sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", base_db)

    def _postgres(self, sec, target, tcp, sock, pooled, home, sql):
        a, R = self.args, self.report
        # The SQLite reference in a directory of its own, which is its HOME (its own key).
        lite = os.path.join(self.wd, "pg-ref", "ref.db")
        os.mkdir(os.path.dirname(lite), 0o700)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8"}
        lite_env = self.env(lite)

        def tw(db, e, *args, inp=b""):
            r = run([self.bin, "--db", db, *args], inp, True, e, self.errlog)
            if r.rc != 0:
                raise SystemExit(f"error: twofa {' '.join(args)} on {db.split('?')[0]} exited {r.rc}:\n{self.tail_err()}")
            return r

        def active(db, e, user):
            r = tw(db, e, "--json", "enroll", user)
            secret = secret_of(json.loads(r.out)["otpauth_uri"])
            tw(db, e, "enroll", user, "--code", "-", inp=(totp(secret, step_now() - 1) + "\n").encode())
            return secret

        levels = [n for n in a.concurrency if n <= 32]
        users = max(levels + [1])
        log(f"postgres: enrolling {users} users on PostgreSQL and 1 on SQLite")
        lite_secret = active(lite, lite_env, "u0")
        secrets = [active(tcp, env, f"u{i}") for i in range(users)]

        def back(names):
            step = step_now() - 2
            sql("UPDATE factors SET last_step = %d WHERE kind = 'totp' AND user_id IN "
                "(SELECT id FROM users WHERE name IN (%s))" % (step, ", ".join(f"'{n}'" for n in names)))

        def back_lite():
            conn = sqlite3.connect(lite, timeout=60, isolation_level=None)
            try:
                conn.execute("UPDATE factors SET last_step = ? WHERE kind = 'totp'", (step_now() - 2,))
            finally:
                conn.close()
            self.private(lite)
            tw(lite, lite_env, "config", "set", "issuer", "twofa")

        t = {"sqlite": [], "socket": [], "pooler": [], "tcp": []}
        bad = []
        log(f"postgres: {a.runs} interleaved verifies on SQLite, PostgreSQL socket, PgBouncer socket, PostgreSQL TCP")
        for _ in range(a.runs):
            for key, db, e, reset, secret in (("sqlite", lite, lite_env, back_lite, lite_secret),
                                              ("socket", sock, env, lambda: back(["u0"]), secrets[0]),
                                              ("pooler", pooled, env, lambda: back(["u0"]), secrets[0]),
                                              ("tcp", tcp, env, lambda: back(["u0"]), secrets[0])):
                if db is None:
                    continue
                reset()
                r = run([self.bin, "--db", db, "verify", "u0", "--code", "-"],
                        (totp(secret, step_now()) + "\n").encode(), env=e, stderr=self.errlog)
                (t[key] if r.rc == 0 else bad).append(r.wall if r.rc == 0 else (key, r.rc))
        if bad:
            R.add(sec, "runs not accepted (should be none)", f"{len(bad)}: {bad[:5]}", "0", False)
        m = {k: median(v) for k, v in t.items()}
        R.add(sec, "verify on SQLite (median)", ms(m["sqlite"]), note="this machine")
        for key, url, what, name, flag in (
                ("socket", sock, "verify on PostgreSQL, Unix socket", "PostgreSQL socket", "--pg-socket"),
                ("pooler", pooled, "verify through PgBouncer, Unix socket", "PgBouncer socket", "--pg-pooler")):
            if url:
                R.add(sec, f"{what} (median)", ms(m[key]), note="this machine")
                x = m[key] / m["sqlite"]
                R.add(sec, f"{name} / SQLite", f"{x:.2f}x", "<= 2x", x <= 2)
            else:
                R.skip(sec, f"{name} / SQLite", f"no {flag}", "<= 2x")
        R.add(sec, "verify on PostgreSQL, TCP (median)", ms(m["tcp"]), note="this machine")
        R.add(sec, "PostgreSQL TCP / SQLite", f"{m['tcp'] / m['sqlite']:.2f}x", note="info")
        for how, url in (("over TCP", tcp), ("through PgBouncer", pooled)):
            if url is None:
                continue
            for n in levels:
                total = max(a.min_rounds, math.ceil(a.samples / n))
                lat, wall, failed, deadline = [], 0.0, 0, time.perf_counter() + a.level_seconds
                log(f"postgres: {n} processes x {total} rounds {how}")
                for i in range(total):
                    if i and time.perf_counter() > deadline:
                        break
                    names = [f"u{j}" for j in range(n)]
                    back(names)
                    step = step_now()
                    cmds = [([self.bin, "--db", url, "verify", u, "--code", "-"],
                             (totp(secrets[j], step) + "\n").encode())
                            for j, u in enumerate(names)]
                    res = burst(cmds, env, self.errlog)
                    wall += max(r.end for r in res) - min(r.start for r in res)
                    lat += [r.wall for r in res]
                    failed += sum(r.rc != 0 for r in res)
                procs = f"{n:>2} process{'es' if n > 1 else ''}"
                R.add(sec, f"{procs} {how}: verifies/s, p99",
                      f"{len(lat) / wall:.0f}/s, p99 {ms(p99(lat))} (n={len(lat)})",
                      "none refused" if failed else "", None if not failed else False,
                      note="" if not failed else f"{failed} not accepted")

def pg_url(base, dbname, extra=""):
    """`base` (a postgres:// URL) naming the database `dbname`, with `extra` parameters."""
    head, _, query = base.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    params = [p for p in (query, extra) if p]
    return f"{scheme}://{authority}/{dbname}" + ("?" + "&".join(params) if params else "")


def pg_dbname(base):
    rest = base.partition("?")[0].partition("://")[2]
    return rest.split("/", 1)[1] if "/" in rest and rest.split("/", 1)[1] else "postgres"


def conn_count(db, sql, *params):
    conn = sqlite3.connect(db, timeout=60)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.chmod(db + suffix, 0o600)


class Provisioner(threading.Thread):
    """A provisioning job: enroll a new user, activate it with its first code, repeat."""

    def __init__(self, bench, prefix):
        super().__init__(daemon=True)
        self.bench, self.prefix = bench, prefix
        self.done = []  # completion times of activations
        self._stop_flag = threading.Event()

    def run(self):
        b, i = self.bench, 0
        while not self._stop_flag.is_set():
            name = f"{self.prefix}{i:06d}"
            i += 1
            r = run(b.tw_argv(b.big, "--json", "enroll", name), capture=True, env=b.env(b.big), stderr=b.errlog)
            if r.rc != 0:
                continue
            secret = secret_of(json.loads(r.out)["otpauth_uri"])
            r = run(b.tw_argv(b.big, "enroll", name, "--code", "-"), (totp(secret, step_now()) + "\n").encode(),
                    env=b.env(b.big), stderr=b.errlog)
            if r.rc == 0:
                self.done.append(time.perf_counter())

    def stop(self):
        self._stop_flag.set()
        self.join()


# ---------------------------------------------------------------------------------
# Syslog: a private /dev/log that the benchmark drains.


def can_unshare():
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mount"):
        return False
    return subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def private_syslog(wd):
    """In our own mount namespace: binds a socket we read over /dev/log. Returns a
    counter of messages received, or None if that failed."""
    path = os.path.join(wd, "syslog.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    if subprocess.run(["mount", "--bind", path, "/dev/log"], stderr=subprocess.DEVNULL).returncode != 0:
        sock.close()
        return None
    received = [0]

    def drain():
        while True:
            sock.recv(65536)
            received[0] += 1

    threading.Thread(target=drain, daemon=True).start()
    return received


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


def filesystem(path):
    best, fs = "", "?"
    try:
        for line in open("/proc/mounts"):
            dev, mnt, typ = line.split()[:3]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                best, fs = mnt, f"{typ} on {mnt} ({dev})"
    except OSError:
        pass
    return fs


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiny", action="store_true", help="a few users, 1,000 audit entries, few runs (CI smoke check)")
    p.add_argument("--users", type=int, help="users in big.db (default 1,000,000; --tiny 50)")
    p.add_argument("--audit", type=int, help="filler audit entries (default 1,000,000; --tiny 1,000)")
    p.add_argument("--members", type=int, help="members of the organization (default 100,000; --tiny 20)")
    p.add_argument("--bin", default=os.environ.get("TWOFA_BIN", os.path.join(REPO, "target", "release", "twofa")),
                   help="the twofa binary (default $TWOFA_BIN, else target/release/twofa)")
    p.add_argument("--runs", type=int, help="sequential runs per timed command (default 30; --tiny 3)")
    p.add_argument("--dir", help="where the temporary databases go (default: the system's temp dir); "
                                 "fsync costs depend on its filesystem")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--syslog", choices=("auto", "private", "system"), default="auto",
                   help="auto: a private drained /dev/log when root with unshare, else system")
    p.add_argument("--concurrency", default=None, help="process counts (default 1,4,8,32; --tiny 1,4)")
    p.add_argument("--provision-seconds", type=float, help="length of each activations/min window (default 20; --tiny 2)")
    p.add_argument("--level-seconds", type=float,
                   help="time budget of each concurrency level, at least one round (default 60; --tiny 5)")
    p.add_argument("--pg", default=os.environ.get("TWOFA_BENCH_PG"),
                   help="a PostgreSQL server URL (TCP) for the postgres section (default $TWOFA_BENCH_PG)")
    p.add_argument("--pg-socket", default=os.environ.get("TWOFA_BENCH_PG_SOCKET"),
                   help="the same server over its Unix socket, e.g. postgresql:///postgres?host=/var/run/postgresql")
    p.add_argument("--pg-pooler", default=os.environ.get("TWOFA_BENCH_PG_POOLER"),
                   help="the same server through PgBouncer (transaction pooling) over its Unix socket")
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma-separated sections to run (default all: {','.join(SECTIONS)}); "
                        "e.g. --audit 10000000 --only audit")
    a = p.parse_args()
    a.only = a.only.split(",")
    unknown = [x for x in a.only if x not in SECTIONS]
    if unknown:
        p.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    tiny = a.tiny
    a.users = a.users if a.users is not None else (50 if tiny else 1_000_000)
    a.audit = a.audit if a.audit is not None else (1_000 if tiny else 1_000_000)
    a.members = a.members if a.members is not None else (20 if tiny else 100_000)
    a.runs = a.runs or (3 if tiny else 30)
    a.concurrency = [int(x) for x in (a.concurrency or ("1,4" if tiny else "1,4,8,32")).split(",")]
    a.provision_seconds = a.provision_seconds or (2.0 if tiny else 20.0)
    a.pool = max(a.concurrency + [min(os.cpu_count() or 1, 32)])
    a.samples = 4 if tiny else 160  # verifies per concurrency level
    a.min_rounds = 1 if tiny else 5
    a.backup_runs = 2 if tiny else 20
    a.backup_rounds = 1 if tiny else 5
    a.audit_runs = 1 if tiny else 3
    a.org_runs = 1 if tiny else 5
    a.mem_runs = 1 if tiny else 3
    a.level_seconds = a.level_seconds or (5.0 if tiny else 60.0)
    if a.users < a.pool:
        a.users = a.pool
    return a


def main():
    a = parse_args()
    if not os.access(a.bin, os.X_OK):
        raise SystemExit(f"error: no twofa binary at {a.bin}; build it (cargo build --release --locked) or pass --bin")
    in_ns = os.environ.get(NS_ENV) == "1"
    if not in_ns and a.syslog != "system" and os.path.exists("/dev/log"):
        if can_unshare():
            env = dict(os.environ, **{NS_ENV: "1"})
            os.execvpe("unshare", ["unshare", "-m", "--propagation", "private", sys.executable,
                                   os.path.abspath(__file__), *sys.argv[1:]], env)
        if a.syslog == "private":
            raise SystemExit("error: --syslog private needs root and a working `unshare -m`")
    wd = tempfile.mkdtemp(prefix="twofa-bench-", dir=a.dir)
    os.chmod(wd, 0o700)
    syslog_note = "none (/dev/log absent: twofa sends no witness, nothing to make private)"
    received = None
    if in_ns:
        received = private_syslog(wd)
        syslog_note = ("private /dev/log drained by the benchmark" if received
                       else "system (binding a private /dev/log failed)")
    elif os.path.exists("/dev/log"):
        syslog_note = "system /dev/log"
    started = time.time()
    try:
        b = Bench(a, wd)
        version = subprocess.run([b.bin, "--version"], capture_output=True, text=True).stdout.strip()
        print("twofa benchmark (benches/perf.py)" + (" --tiny" if a.tiny else ""))
        print(f"  command    python3 benches/perf.py {' '.join(sys.argv[1:])}".rstrip())
        print(f"  binary     {b.bin} ({version})")
        print(f"  machine    {machine()}")
        print(f"  databases  {wd} on {filesystem(os.path.realpath(wd))}")
        print(f"  syslog     {syslog_note}")
        print(f"  sizes      big.db: {a.users:,} users, {a.audit:,} filler audit entries, org of {a.members:,}; "
              f"{a.runs} runs per sequential figure")
        missing = [t for t, p in b.tools.items() if not p]
        if missing:
            print(f"  missing    {', '.join(missing)} (those references are skipped)")
        sys.stdout.flush()
        if set(a.only) - {"postgres"}:
            b.build_floor()
            b.build()
        for name, step in (("verify", b.sequential_verify), ("syscalls", b.syscalls),
                           ("concurrency", b.concurrency), ("provisioning", b.provisioning),
                           ("activation", b.activation), ("backup", b.backup), ("audit", b.audit_and_org),
                           ("postgres", b.postgres)):
            if name in a.only:
                step()
        b.report.print()
        for line in getattr(b, "strace_detail", []):
            print(f"strace {line}")
        if received:
            print(f"syslog: the private /dev/log received {received[0]:,} messages from twofa.")
        print(f"Absolute times are this machine's; ratios compare processes measured in the same run. "
              f"Took {time.time() - started:.0f} s.")
    finally:
        if a.keep:
            print(f"kept {wd}")
        else:
            shutil.rmtree(wd, ignore_errors=True)


if __name__ == "__main__":
    main()
