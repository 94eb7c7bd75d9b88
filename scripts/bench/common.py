"""What scripts/benchmark and scripts/benchmark-compare share: messages, sizes, timed processes, the machine,
and the synthetic surveys (made by generate.py, reused from a --keep folder when they are the same)."""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time

import generate

#: The pipeline's stages in order; run-pipeline runs the first two one after the other, then the last two side by
#: side (both only read establishments.csv).
STAGES = ["ingest", "normalise", "aggregate", "report"]
SEQUENTIAL, TOGETHER = STAGES[:2], STAGES[2:]

#: The name messages start with; each script sets its own.
PROG = "benchmark"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def say(text=""):
    print(text, flush=True)


def note(text):
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def die(text):
    note(text)
    sys.exit(2)


def sizes(text):
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        number = part[:-1] if scale > 1 else part
        if not number.isdigit() or int(number) * scale < 1:
            raise argparse.ArgumentTypeError(f"not a row count: {part}")
        out.append(int(number) * scale)
    return out


def run(cmd, **kwargs):
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        die(f"{' '.join(cmd)} failed (exit {result.returncode})")
    return result


class Measure:
    """One timed process: wall and CPU seconds, peak RSS in KiB, exit code, its output file."""

    def __init__(self, wall, cpu, rss_kib, code, log, wall_time, user=None, system=None):
        self.wall, self.cpu, self.rss_kib, self.code, self.log = wall, cpu, rss_kib, code, log
        self.wall_time = wall_time  # /usr/bin/time's %e (0.01 s resolution); wall is the same span, finer
        self.user, self.system = user, system  # cpu's two parts, when /usr/bin/time gave them

    def output(self):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read()


def timed(cmd, log, settle=True):
    """Runs cmd under /usr/bin/time; its stdout and stderr go to log.

    With settle, first writes every dirty page to disk (sync), so that write-back of the files earlier processes
    wrote (a pipeline run writes about 1 GB at 1M rows) does not land on this one."""
    if settle:
        os.sync()
    stamp = log + ".time"
    with open(log, "wb") as out:
        started = time.perf_counter()
        code = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stamp] + cmd, stdout=out,
                              stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - started
    with open(stamp, encoding="utf-8") as f:  # a failing command adds a line before the figures
        wall_time, user, system, rss = f.read().split("\n")[-2].split()
    return Measure(wall, float(user) + float(system), int(rss), code, log, float(wall_time), float(user),
                   float(system))


def timed_together(commands, logs):
    """Runs the commands side by side, as run-pipeline runs aggregate and report, each under timed() (settled
    once before them all). Returns (their measures, in order; the span from the first start to the last end)."""
    os.sync()
    measures = [None] * len(commands)

    def one(index):
        measures[index] = timed(commands[index], logs[index], settle=False)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(len(commands))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return measures, time.perf_counter() - started


def warm(path):
    """Reads the file once, so that the runs find it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def median(values):
    return statistics.median(values)


def tail(path, lines=15):
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def machine():
    model = memory = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Linux {platform.release()}"


def load():
    with open("/proc/loadavg", encoding="utf-8") as f:
        return " ".join(f.read().split()[:3])


def versions(python):
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    swift = swift.replace("Swift version ", "").split(" (")[0]
    libcsv = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libcsv-dev"], capture_output=True,
                            text=True).stdout or "?"
    engines = subprocess.run([python, "-c", "import duckdb, pandas; print(duckdb.__version__, pandas.__version__)"],
                             capture_output=True, text=True).stdout.split()
    revision = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                              text=True).stdout.strip() or "?"
    return (f"revision {revision}; Swift {swift}; libcsv {libcsv}; duckdb {engines[0]}, pandas {engines[1]} "
            f"(Python {platform.python_version()})")


def survey(work, rows, seed, duplicate_every=0):
    """The data folder for rows (generated, or reused when --keep holds the same one); with duplicate_every, a
    survey of its own in which every such row repeats a tax code (scripts/benchmark-nightly)."""
    data = os.path.join(work, str(rows) + (f"-duplicate-every-{duplicate_every}" if duplicate_every else ""))
    meta_path = os.path.join(data, "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        path = os.path.join(data, "in", "survey.csv")
        same = (rows, seed, generate.VERSION, generate.reference_digest(),
                generate.duplicates(rows, duplicate_every))
        if ((meta.get("rows"), meta.get("seed"), meta.get("version"), meta.get("reference"),
             meta.get("duplicates", 0)) == same
                and os.path.exists(path) and os.path.getsize(path) == meta.get("bytes")
                and os.path.exists(os.path.join(data, "district-aliases.csv"))):
            note(f"reusing {path}")
            return data, meta
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    meta = generate.generate(data, rows, seed, duplicate_every)
    note(f"generated {rows:,} rows ({meta['bytes'] / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return data, meta
