#!/usr/bin/env python3
"""Serve benchmark: edit-to-served latency of `trustdoc serve` on a generated site.

Generates a site with benches/gen_site.py (once per size), times a full `trustdoc build`
of it, starts `trustdoc serve --port 0`, then
  - save: rewrites one page with a new marker and polls that page over HTTP until the
    marker is served (the time a writer waits after saving);
  - title: renames the page's title and polls a sibling page, whose sidebar lists it,
    until the new title is served (a build is swapped in whole, so every page has it then);
and reports medians, the full-build time and the server's memory (VmHWM, VmRSS).

    benches/serve.py [--pages 10000] [--runs 15] [--builds 3] [--bin target/release/trustdoc]

Standard library only. Build the binary first: cargo build --release.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    return r.read().decode("utf-8", "replace")


def wait_for(conn, path, needle, limit=600.0):
    start = time.perf_counter()
    while True:
        if needle in get(conn, path):
            return
        if time.perf_counter() - start > limit:
            sys.exit(f"gave up waiting for {needle!r} at {path}")
        time.sleep(0.001)


def median_ms(xs):
    return f"median {statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f}, max {max(xs) * 1000:.1f}, n={len(xs)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--builds", type=int, default=3, help="full builds timed")
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "trustdoc"))
    ap.add_argument("--work", default="/tmp/trustdoc-serve-bench")
    a = ap.parse_args()
    site = os.path.join(a.work, f"site-{a.pages}")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(a.pages), "--out", site], check=True)
    out = os.path.join(a.work, "out")
    builds = []
    for _ in range(a.builds):
        t = time.perf_counter()
        subprocess.run([a.bin, "build", "--quiet", "--root", site, "--output", out], check=True)
        builds.append(time.perf_counter() - t)
    print(f"full build ({a.pages} pages): {median_ms(builds)}")

    srv = subprocess.Popen([a.bin, "serve", "--port", "0", "--root", site],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in srv.stdout:
            if line.startswith("built "):
                print("serve, first build:", line.strip())
            if line.startswith("serving "):
                url = re.search(r"http://([^/ ]+)(/\S*)", line)
                break
        host, base = url.group(1), url.group(2)
        conn = http.client.HTTPConnection(host, timeout=600)
        rel = "area0/topic0/page3"
        src = os.path.join(site, "content", rel + ".md")
        original = open(src).read()
        page_url = f"{base}{rel}/"
        sibling_url = f"{base}area0/topic0/page4/"
        wait_for(conn, page_url, "<html")
        saves = []
        for k in range(a.runs):
            marker = f"saved-marker-{k}-{time.time_ns()}"
            with open(src, "w") as f:
                f.write(original + f"\nA new paragraph {marker}.\n")
            t = time.perf_counter()
            wait_for(conn, page_url, marker)
            saves.append(time.perf_counter() - t)
            time.sleep(0.2)
        print(f"save -> page served: {median_ms(saves)}")
        titles = []
        for k in range(a.runs):
            title = f"Renamed title {k} {time.time_ns()}"
            with open(src, "w") as f:
                f.write(re.sub(r'title: "[^"]*"', f'title: "{title}"', original, count=1))
            t = time.perf_counter()
            wait_for(conn, sibling_url, title)
            titles.append(time.perf_counter() - t)
            time.sleep(0.2)
        print(f"title change -> shown on other pages: {median_ms(titles)}")
        with open(src, "w") as f:
            f.write(original)
        status = open(f"/proc/{srv.pid}/status").read()
        for key in ("VmHWM", "VmRSS"):
            m = re.search(rf"{key}:\s+(\d+) kB", status)
            print(f"server {key}: {int(m.group(1)) / 1024:.0f} MB")
    finally:
        srv.send_signal(2)
        srv.wait(timeout=30)


if __name__ == "__main__":
    main()
