#!/usr/bin/env python3
"""Memory and disk of a release server on a large demo store (issue 16, "lean on a small server").

Builds the release binary, fills a demo store (`exit-factors demo --cases N`), starts the server on
it and reports, side by side with the goals:
  - resident memory after start-up and one dashboard;
  - resident memory after one research export (and how much it grew);
  - the data directory's size per assessment.

Usage: python3 benches/lean.py [--cases 34000] [--cache-mb 64] [--keep DIR]
Only the Python standard library; real HTTP against the real binary.
"""

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "exit-factors")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A cookie-keeping client that reads each form's CSRF token from the page it submits."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path, timeout=600):
        with self.opener.open(self.base + path, timeout=timeout) as res:
            return res.read()

    def post(self, page, action, fields):
        html = self.get(page).decode()
        token = re.search(r'name="csrf" value="([^"]*)"', html).group(1)
        data = urllib.parse.urlencode(dict(fields, csrf=token)).encode()
        with self.opener.open(self.base + action, data=data, timeout=60) as res:
            return res.read().decode()


def totp(secret_b32, at=None):
    """RFC 6238 (SHA-1, 6 digits, 30 s), for the administrator's second step."""
    key = base64.b32decode(secret_b32.replace(" ", "").upper() + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=34000)
    parser.add_argument("--cache-mb", type=int, default=None)
    parser.add_argument("--keep", help="reuse (or keep) the demo store in this directory")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = args.keep or tempfile.mkdtemp(prefix="exit-factors-lean-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    accounts_file = os.path.join(work, "accounts.txt")
    if not os.path.exists(data):
        started = time.time()
        out = subprocess.run(
            [BINARY, "demo", "--cases", str(args.cases), "--data-dir", data],
            check=True, capture_output=True, text=True,
        ).stdout
        with open(accounts_file, "w") as f:
            f.write(out)
        print(f"demo store of {args.cases} cases made in {time.time() - started:.0f} s")
    out = open(accounts_file).read()
    passwords = dict(re.findall(r"^\s+\w+\s+(demo-\S+)\s+(\S+)$", out, re.M))

    port = free_port()
    command = [BINARY, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", data]
    if args.cache_mb:
        command += ["--cache-mb", str(args.cache_mb)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        after_start = rss_mb(server.pid)
        sup = Browser(base)
        sup.post("/sign-in", "/sign-in", {"username": "demo-supervisor", "password": passwords["demo-supervisor"]})
        started = time.time()
        sup.get("/dashboard")
        dashboard_s = time.time() - started
        after_dashboard = rss_mb(server.pid)

        admin = Browser(base)
        admin.post("/sign-in", "/sign-in", {"username": "demo-admin", "password": passwords["demo-admin"]})
        secret_file = os.path.join(work, "admin-two-step.txt")
        if os.path.exists(secret_file):
            # Enrolled by an earlier run: a code of a fresh 30 s window (a used one is refused).
            time.sleep(30 - time.time() % 30 + 1)
            admin.post("/sign-in/code", "/sign-in/code", {"code": totp(open(secret_file).read())})
        else:
            admin.post("/account/two-step", "/account/two-step/start", {})
            page = admin.get("/account/two-step").decode()
            secret = re.search(r'class="secret-text"><code>([^<]+)</code>', page).group(1)
            admin.post("/account/two-step", "/account/two-step/confirm", {"code": totp(secret)})
            with open(secret_file, "w") as f:
                f.write(secret)
        peak = after_dashboard
        started = time.time()
        size = 0
        with admin.opener.open(base + "/admin/export/research.csv", timeout=600) as res:
            while True:
                chunk = res.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                peak = max(peak, rss_mb(server.pid))
        export_s = time.time() - started
        after_export = rss_mb(server.pid)

    finally:
        server.terminate()
        server.wait()

    disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(data) for f in fs)
    print(f"cache: {args.cache_mb or 'default'} MB; {args.cases} cases")
    print("| what | measured | goal |")
    print("|---|---|---|")
    print(f"| resident memory after start-up, then after the first dashboard | {after_start:.0f} MB, then {after_dashboard:.0f} MB (dashboard {dashboard_s:.2f} s) | <= 150 MB |")
    print(f"| resident memory during and after one research export ({size / 1e6:.0f} MB in {export_s:.1f} s) | peak {peak:.0f} MB, after {after_export:.0f} MB (+{peak - after_dashboard:.0f} MB) | grows by <= 64 MB |")
    print(f"| data directory | {disk / 1e6:.0f} MB, {disk / args.cases / 1024:.1f} KB per case | <= 2.5 KB per assessment |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
