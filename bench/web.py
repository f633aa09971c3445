"""python -m bench.web (`make bench-web`): the pages under gunicorn and wrk, against a baseline.

For SQLite and PostgreSQL, at 1,000 and at 1,000,000 stored answers, it starts gunicorn (2 sync
workers, production settings, plain http on loopback), drives each page with wrk and prints
requests per second, p50/p95 latency, the workers' CPU per request (from /proc) and its ratio to
a bare page of the project measured in the same run; then 200 students take quizzes for 60
seconds and every answer, score and total is checked. Data is cached between runs (.bench/ for
SQLite, databases named after BENCH_POSTGRES for PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.web_prepare import STUDENTS

ROOT = Path(__file__).resolve().parent.parent
WRK = Path(__file__).resolve().parent / "wrk"
CACHE = ROOT / ".bench"
PORT = int(os.environ.get("BENCH_PORT", "8031"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/histquiz_bench")
SECRET_KEY = "bench-web-secret-key-not-for-production-0123456789abcdef"
CSRF_SECRET = "BenchCsrfSecretBenchCsrfSecret12"  # 32 characters, as Django's secrets are
# name: (players, label); each player has one finished attempt of 10 answers.
SCALES = {"1k": (100, "1,000 answers"), "1M": (100_000, "1,000,000 answers")}
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    """One page measured: wrk's figures and the CPU the server spent."""

    page: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    cpu_ms: float
    db_cpu_ms: float | None
    errors: int
    extra: dict = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--scales", default=",".join(SCALES), help="1k,1M")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page")
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--no-load", action="store_true", help="skip the 200-student run")
    options = parser.parse_args()
    wrk = _wrk()
    os.environ.update(_server_environment())
    sys.path.insert(0, str(ROOT))
    print(f"bench-web: {_machine()}")
    tables: list[tuple[str, list[Result]]] = []
    checks: list[str] = []
    for database in options.databases.split(","):
        for scale in options.scales.split(","):
            players, label = SCALES[scale]
            url = _database_url(database, players)
            print(f"\n== {database}, {label} ==", flush=True)
            _run(
                [sys.executable, "-m", "bench.web_prepare", str(players)],
                env={"DATABASE_URL": url},
            )
            with Server(url) as server:
                results = _pages(server, wrk, url, options.seconds)
                if not options.no_load and scale == list(SCALES)[-1]:
                    results.append(_load(server, wrk, url, options.load_seconds, checks))
            tables.append((f"{database}, {label}", results))
            _print(tables[-1])
    print("\n== summary ==")
    for table in tables:
        _print(table)
    for line in checks:
        print(line)


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's wrk package with apt-get...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("wrk") or sys.exit("apt-get installed wrk, but it is not on PATH.")
    sys.exit("make bench-web needs wrk: install it (Debian: sudo apt-get install wrk) and rerun.")


def _server_environment() -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "HISTQUIZ_BENCH_BASELINE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _database_url(database: str, players: int) -> str:
    if database == "sqlite":
        CACHE.mkdir(exist_ok=True)
        return f"sqlite:///{CACHE / f'web-{players}.sqlite3'}"
    if database == "postgres":
        url = f"{POSTGRES}_{players}"
        server, name = url.rsplit("/", 1)
        # Its own database, made on the first run (the data stays for the next).
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{name}"'],
            capture_output=True,
        )
        return url
    sys.exit(f"Unknown database {database!r}: sqlite or postgres.")


def _machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({model}), "
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}"
    )


def _run(command: list[str], *, env: dict[str, str]) -> str:
    done = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    sys.stdout.write(done.stderr)
    if done.returncode:
        sys.stdout.write(done.stdout)
        sys.exit(f"{' '.join(command)} failed ({done.returncode}).")
    return done.stdout


class Server:
    """gunicorn with 2 sync workers on the database, for the length of a `with` block."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.base = f"http://127.0.0.1:{PORT}"
        self.log = Path(tempfile.mkstemp(prefix="bench-web-", suffix=".log")[1])

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers=2",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{PORT}",
                f"--error-logfile={self.log}",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": self.url},
        )
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{self.base}/bench/baseline/", timeout=5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        sys.exit(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _cpu_ticks(pids: list[int]) -> dict[int, int]:
    """utime + stime of each process still running, in clock ticks."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def _spent(before: dict[int, int], after: dict[int, int]) -> int:
    # Only processes alive at both ends: one that ended took its count with it.
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def _wrk_run(
    wrk: str,
    server: Server,
    script: str,
    env: dict[str, str],
    seconds: float,
    *,
    threads: int = 2,
    connections: int = 2,
    db_pids: list[int] | None = None,
) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=30s",
        "-s",
        str(WRK / script),
        server.base,
    ]
    workers = server.workers()
    before, db_before = _cpu_ticks(workers), _cpu_ticks(db_pids or [])
    done = subprocess.run(
        command,
        env={**os.environ, **env, "BENCH_THREADS": str(threads)},
        capture_output=True,
        text=True,
    )
    after, db_after = _cpu_ticks(workers), _cpu_ticks(db_pids or [])
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line[len("BENCH ") :])
    figures["cpu_ticks"] = _spent(before, after)
    figures["db_ticks"] = _spent(db_before, db_after) if db_pids is not None else None
    return figures


def _result(page: str, figures: dict) -> Result:
    requests = max(1, figures["requests"])
    return Result(
        page=page,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        cpu_ms=figures["cpu_ticks"] * 1000 / TICKS / requests,
        db_cpu_ms=(
            None if figures["db_ticks"] is None else figures["db_ticks"] * 1000 / TICKS / requests
        ),
        errors=figures["server_errors"] + figures["socket_errors"] + figures["unexpected"],
        extra={key: figures[key] for key in ("quizzes", "answers", "locked") if key in figures},
    )


def _pages(server: Server, wrk: str, url: str, seconds: float) -> list[Result]:
    plan = json.loads(
        _run([sys.executable, "-m", "bench.web_prepare", "--plan"], env={"DATABASE_URL": url})
    )
    db_pids = _db_backends(url)
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    results = []
    for page in plan["pages"]:
        requests = folder / f"{len(results)}.txt"
        requests.write_text("\n".join(page["requests"]) + "\n")
        env = {
            "BENCH_REQUESTS": str(requests),
            "BENCH_COOKIE": page.get("cookie", ""),
            "BENCH_CSRF": page.get("csrf", ""),
            "BENCH_HTMX": "1" if page.get("htmx") else "0",
            "BENCH_STATUS": str(page.get("status", 200)),
        }
        if page.get("warm", True):
            _wrk_run(wrk, server, "requests.lua", env, 1)
        figures = _wrk_run(
            wrk, server, "requests.lua", env, seconds, db_pids=_db_backends(url) or db_pids
        )
        if figures["requests"] > len(page["requests"]) and not page.get("repeats", True):
            print(f"  note: {page['name']} ran out of fresh requests and repeated some")
        results.append(_result(page["name"], figures))
        print(f"  {page['name']}: {results[-1].per_second:.0f}/s", flush=True)
    sessions = folder / "sessions.txt"
    sessions.write_text("\n".join(plan["flow_sessions"]) + "\n")
    figures = _wrk_run(
        wrk,
        server,
        "flow.lua",
        {"BENCH_SESSIONS": str(sessions)},
        seconds * 2,
        db_pids=_db_backends(url),
    )
    flow = _result("full quiz flow (2 students)", figures)
    results.append(flow)
    return results


def _load(server: Server, wrk: str, url: str, seconds: float, checks: list[str]) -> Result:
    before = json.loads(
        _run([sys.executable, "-m", "bench.web_prepare", "--load-start"], env={"DATABASE_URL": url})
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    sessions = folder / "students.txt"
    sessions.write_text("\n".join(before["sessions"]) + "\n")
    print(f"  {STUDENTS} students for {seconds:.0f} s...", flush=True)
    figures = _wrk_run(
        wrk,
        server,
        "flow.lua",
        {"BENCH_SESSIONS": str(sessions)},
        seconds,
        threads=STUDENTS,
        connections=STUDENTS,
        db_pids=_db_backends(url),
    )
    result = _result(f"{STUDENTS} students (load)", figures)
    time.sleep(1)  # requests in flight when wrk stopped finish on the server
    report = json.loads(
        _run(
            [sys.executable, "-m", "bench.web_prepare", "--load-check", json.dumps(before)],
            env={"DATABASE_URL": url},
        )
    )
    locked_in_log = server.log_text().count("database is locked")
    problems = list(report["problems"])
    if figures["server_errors"]:
        problems.append(f"{figures['server_errors']} responses were 5xx")
    if figures["locked"] or locked_in_log:
        problems.append(f"'database is locked' {figures['locked'] + locked_in_log} times")
    if not report["answers"] >= figures["answers"]:
        problems.append(f"wrk saw {figures['answers']} answers stored, the database holds fewer")
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    verdict = "OK" if not problems else "FAILED: " + "; ".join(problems)
    checks.append(
        f"load, {database}: {STUDENTS} students, {seconds:.0f} s: {figures['quizzes']} quizzes, "
        f"{report['answers']} answers in {report['attempts']} attempts stored, "
        f"{figures['server_errors']} 5xx, {figures['unexpected']} unexpected responses, "
        f"{report['differences']} total differences: {verdict}"
    )
    print(f"  {checks[-1]}", flush=True)
    return result


def _db_backends(url: str) -> list[int] | None:
    """PostgreSQL's processes serving the benchmark database (the workers' connections)."""
    if not url.startswith("postgres"):
        return None
    name = url.rsplit("/", 1)[1]
    done = subprocess.run(
        [
            "psql",
            url.rsplit("/", 1)[0] + "/postgres",
            "-Atc",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
    )
    return [int(pid) for pid in done.stdout.split()] if done.returncode == 0 else []


def _print(table: tuple[str, list[Result]]) -> None:
    title, results = table
    baseline = next((r for r in results if r.page == "baseline"), None)
    db = any(r.db_cpu_ms is not None for r in results)
    print(f"\n{title}")
    header = f"{'page':<34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} {'x base':>7}"
    print(header + (f" {'db ms':>6}" if db else "") + "  errors  notes")
    for r in results:
        ratio = f"{r.cpu_ms / baseline.cpu_ms:.1f}" if baseline and baseline.cpu_ms else "-"
        notes = ""
        if "quizzes" in r.extra:
            notes = f"{r.extra['quizzes'] / r.seconds:.1f} quizzes/s"
        line = (
            f"{r.page:<34} {r.per_second:>7.0f} {r.p50_ms:>7.1f} {r.p95_ms:>7.1f} "
            f"{r.cpu_ms:>7.2f} {ratio:>7}"
        )
        if db:
            line += f" {r.db_cpu_ms:>6.2f}" if r.db_cpu_ms is not None else f" {'':>6}"
        print(f"{line}  {r.errors:>6}  {notes}")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


if __name__ == "__main__":
    if not _free(PORT):
        sys.exit(f"Port {PORT} is in use; set BENCH_PORT.")
    main()
