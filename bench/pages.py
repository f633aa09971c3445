"""python -m bench.pages [--players N] [--profile PAGE]: each page's CPU per request, in-process.

The pages of `make bench-web` (bench/web_prepare.py's plan), requested through Django's test
client with production settings on their own SQLite database (.bench/pages-<players>.sqlite3,
kept for the next run), in interleaved rounds; each page's figure is its best round's process
CPU per request, and its ratio to the bare baseline page measured the same way. No server and no
network, so it is steadier than bench-web on a busy machine and shows what a change to a view or
a template costs. --profile PAGE prints cProfile's top functions for the pages whose name holds
PAGE.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
REQUESTS = 200


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--profile", default="", help="profile the pages whose name holds this")
    options = parser.parse_args(argv)
    (ROOT / ".bench").mkdir(exist_ok=True)
    database = ROOT / ".bench" / f"pages-{options.players}.sqlite3"
    os.environ.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-pages-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "HISTQUIZ_BENCH_BASELINE": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{database}",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import web_prepare

    web_prepare.prepare(options.players)
    pages = [_Page(page) for page in web_prepare.plan()["pages"]]
    if options.profile:
        for page in pages:
            if options.profile in page.name:
                _profile(page)
        return
    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        for page in pages:
            cpu = page.measure(REQUESTS)
            best[page.name] = min(best.get(page.name, cpu), cpu)
    baseline = best["baseline"]
    print(f"CPU ms per request, best of {ROUNDS} rounds of {REQUESTS}, {options.players} players")
    for name, cpu in best.items():
        print(f"{name:45} {cpu:6.2f} ms {cpu / baseline:5.1f}x")


class _Page:
    """One page of the plan, requested through the test client as wrk would request it."""

    def __init__(self, page: dict) -> None:
        from django.test import Client

        self.name = page["name"]
        self.requests = page["requests"]
        self.repeats = page.get("repeats", True)
        self.next = 0
        self.client = Client()
        for part in filter(None, page.get("cookie", "").split("; ")):
            key, value = part.split("=", 1)
            self.client.cookies[key] = value
        self.headers = {"HTTP_X_CSRFTOKEN": page.get("csrf", "")}
        if page.get("htmx"):
            self.headers["HTTP_HX_REQUEST"] = "true"
        if page.get("warm", True):
            for _ in range(10):
                self._one()
            self.next = 0

    def measure(self, requests: int) -> float:
        if not self.repeats:
            # Answers can be given once: each round answers questions not yet answered.
            requests = min(requests, (len(self.requests) - self.next) or 1)
        started = time.process_time()
        for _ in range(requests):
            self._one()
        return (time.process_time() - started) * 1000 / requests

    def _one(self) -> None:
        line = self.requests[self.next % len(self.requests)]
        self.next += 1
        method, path, *body = line.split(" ", 2)
        if method == "GET":
            response = self.client.get(path, **self.headers)
        else:
            response = self.client.post(
                path,
                data=body[0] if body else "",
                content_type="application/x-www-form-urlencoded",
                **self.headers,
            )
        if response.status_code >= 500:
            sys.exit(f"{self.name}: {line} answered {response.status_code}")


def _profile(page: _Page) -> None:
    profile = cProfile.Profile()
    profile.enable()
    page.measure(REQUESTS)
    profile.disable()
    print(f"== {page.name}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1:])
