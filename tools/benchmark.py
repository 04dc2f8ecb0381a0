"""Benchmark: time our stages and the whole MkDocs build on synthetic knowledge bases.

Input: sizes N, a repeat count and the project (for its templates/, content/ and mkdocs.yml).
Output: one JSON line per N on stdout, and with ``--serve-latency`` one more for the edit loop of
the real site. Works only in temporary folders and on loopback; never touches data/ or site/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The repository, whose tools/ the stage worker imports from a temporary project folder."""
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# `mkdocs serve` mounts the site at the path of site_url: keep mkdocs.yml's local default.
SERVE_ENV = {name: value for name, value in ENV.items() if name != "SITE_URL"}
PLUGIN_LINE = re.compile(r"^\s*- biomarker-kb\b.*\n", re.MULTILINE)
SUMMARY_LINE = re.compile(r"^summary: .*$", re.MULTILINE)


class BenchmarkError(RuntimeError):
    """A run failed or took too long; the message carries the end of its output."""


@dataclass(frozen=True)
class Run:
    """What one child process cost."""

    wall_s: float
    cpu_s: float
    """User + system CPU time of the child (and of any child it waited for)."""
    maxrss_mib: float
    stdout: str


def run_child(command: Sequence[str], cwd: Path, timeout: float) -> Run:
    """Run ``command`` to completion; kill its whole process group if it outlives ``timeout``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=ENV, stdout=out, stderr=err, start_new_session=True
        )
        timer = threading.Timer(timeout, _kill_group, (process.pid,))
        timer.start()
        try:
            # wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in every earlier child.
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
            _kill_group(process.pid)  # anything the child left running in its group
            if process.returncode is None:  # interrupted: reap the killed child
                process.wait()
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        why = f"timed out after {timeout:.0f} s" if wall >= timeout else "failed"
        raise BenchmarkError(f"{' '.join(command)} {why} in {cwd}:\n{stderr[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def copy_project(source: Path, target: Path, *, data: bool = False) -> Path:
    """Copy templates/, content/ and mkdocs.yml (and data/ when asked) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in ("templates", "content", *(("data",) if data else ())):
        shutil.copytree(source / folder, target / folder)
    shutil.copy2(source / "mkdocs.yml", target / "mkdocs.yml")
    return target


def make_baseline(project: Path, target: Path, timeout: float) -> Path:
    """Write the plugin's Markdown as static files into a project without the plugin."""
    generated = target.parent / f"{target.name}-md"
    python = [sys.executable, "-m", "biomarker_kb", "--project", str(project)]
    run_child([*python, "render", str(generated)], project, timeout)
    copy_project(project, target)  # templates/ too: the theme's custom_dir may live there
    shutil.copytree(generated, target / "content", dirs_exist_ok=True)
    config, removed = PLUGIN_LINE.subn("", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert removed == 1, "bug: mkdocs.yml no longer lists the biomarker-kb plugin on one line"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8", newline="\n")
    (target / "data").mkdir()  # `watch:` must name existing folders
    return target


def mkdocs_build(project: Path, timeout: float) -> Run:
    """Build ``project`` once into a throw-away site directory."""
    site = Path(tempfile.mkdtemp(prefix="site-", dir=project.parent))
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
        return run_child(command, project, timeout)
    finally:
        shutil.rmtree(site, ignore_errors=True)


def time_stages(project: Path) -> dict[str, float | int]:
    """Time load, validate and render in this process (run it in a fresh one)."""
    from biomarker_kb.load import load_data
    from biomarker_kb.pipeline import ProjectPaths, check, collector_paused, render_pages
    from biomarker_kb.problems import KbError
    from biomarker_kb.render import SiteRenderer

    paths = ProjectPaths.at(project)
    times: dict[str, float | int] = {}
    with _clock(times, "load"), collector_paused():  # as check() runs it
        load_data(paths.data_dir, paths.root)
    with _clock(times, "check"):  # check() loads again: validate = check - load
        result = check(paths)
    if result.kb is None:
        raise BenchmarkError(KbError(result.problems).report())
    with _clock(times, "render"):
        pages = render_pages(result, SiteRenderer(paths.templates_dir))
    times["pages"] = len(pages)
    times["claims"] = sum(len(b.claims) for b in result.kb.biomarkers)
    return times


class _clock:  # noqa: N801 - used like a function: `with _clock(times, "load"):`
    """Record wall and CPU seconds of a block as ``name_s`` and ``name_cpu_s``."""

    def __init__(self, times: dict[str, float | int], name: str) -> None:
        self.times, self.name = times, name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.times[f"{self.name}_s"] = time.perf_counter() - self.wall
        self.times[f"{self.name}_cpu_s"] = time.process_time() - self.cpu


def measure_stages(project: Path, timeout: float) -> dict[str, float | int]:
    """Run ``time_stages`` in a fresh interpreter, so no cache carries over between runs."""
    code = (
        f"import sys; sys.path.insert(0, {str(REPO_ROOT)!r});"
        " from tools.benchmark import main; sys.exit(main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", code, "--stage-worker", str(project)]
    result: dict[str, float | int] = json.loads(run_child(command, project, timeout).stdout)
    return result


def measure(n: int, source: Path, repeat: int, timeout: float) -> dict[str, object]:
    """Return the JSON record for N biomarkers: medians of ``repeat`` interleaved runs."""
    with tempfile.TemporaryDirectory(prefix=f"kb-bench-{n}-") as tmp:
        project = copy_project(source, Path(tmp) / "project")
        write_knowledge_base(n, project)
        baseline = make_baseline(project, Path(tmp) / "baseline", timeout)
        load_avg = os.getloadavg()[0]
        stages, builds, baselines = [], [], []
        for run in range(1, repeat + 1):  # interleaved: a busy neighbour slows both builds alike
            stages.append(measure_stages(project, timeout))
            _progress(
                f"N={n} run {run}: our stages", stages[-1]["check_s"] + stages[-1]["render_s"]
            )
            builds.append(mkdocs_build(project, timeout))
            _progress(f"N={n} run {run}: build with the plugin", builds[-1].wall_s)
            baselines.append(mkdocs_build(baseline, timeout))
            _progress(f"N={n} run {run}: baseline build", baselines[-1].wall_s)
        handwritten = sum(1 for _ in (project / "content").rglob("*.md"))
    return _record(n, stages, builds, baselines, handwritten) | {
        "repeat": repeat,
        "load_avg_1min": round(load_avg, 2),
    }


def _progress(what: str, seconds: float) -> None:
    print(f"bench: {what}: {seconds:.1f} s", file=sys.stderr, flush=True)


def _median(runs: Sequence[dict[str, float | int]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def _record(
    n: int,
    stages: list[dict[str, float | int]],
    builds: list[Run],
    baselines: list[Run],
    handwritten: int,
) -> dict[str, object]:
    pages = int(stages[0]["pages"]) + handwritten
    record: dict[str, object] = {"n": n, "pages": pages, "claims": int(stages[0]["claims"])}
    for unit in ("", "_cpu"):
        load, check = _median(stages, f"load{unit}_s"), _median(stages, f"check{unit}_s")
        render = _median(stages, f"render{unit}_s")
        build = statistics.median(r.cpu_s if unit else r.wall_s for r in builds)
        baseline = statistics.median(r.cpu_s if unit else r.wall_s for r in baselines)
        record |= {
            f"load{unit}_s": round(load, 3),
            f"validate{unit}_s": round(max(check - load, 0.0), 3),
            f"render{unit}_s": round(render, 3),
            f"stages{unit}_s": round(check + render, 3),
            f"build{unit}_s": round(build, 3),
            f"baseline{unit}_s": round(baseline, 3),
            f"overhead_ratio{unit}": round(build / baseline, 3),
            f"ms_per_page{unit}": round(build * 1000 / pages, 2),
        }
        if not unit:  # the fields first, then the CPU-time twins
            record |= {
                "peak_mib": round(max(r.maxrss_mib for r in builds), 1),
                "python": platform.python_version(),
                "machine": machine(),
            }
    record["baseline_peak_mib"] = round(max(r.maxrss_mib for r in baselines), 1)
    return record


def machine() -> str:
    """Return "2 CPUs, <CPU model>, <platform>" for the record."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found[1].strip()}" if found else ""
    return f"{len(os.sched_getaffinity(0))} CPUs{model}, {platform.platform()}"


# ---------------------------------------------------------------------------- mkdocs serve


WATCHER_POLL_S = 0.5
"""How often `mkdocs serve` looks for changed files (MkDocs 1.6 polls; not configurable)."""


def serve_latency(
    source: Path, n: int | None = None, edits: int = 8, timeout: float = 30.0
) -> dict[str, object]:
    """Time edit → visible change of one biomarker file under a real ``mkdocs serve``.

    ``n``: a synthetic knowledge base of N biomarkers, editing the middle one; None: the real
    site's data, editing b2m.yaml. The first start (a full build) is not timed. The pause
    before each edit is spread evenly over one poll interval of the watcher: with a fixed
    pause every edit landed at the same point of its 0.5 s cycle, so the median measured one
    arbitrary waiting time instead of the typical one.
    """
    with tempfile.TemporaryDirectory(prefix="kb-serve-") as tmp:
        project = copy_project(source, Path(tmp) / "project", data=n is None)
        name = "b2m"
        if n is not None:
            write_knowledge_base(n, project)
            name = f"marker-{n // 2:05d}"
        with _serving(project, Path(tmp) / "serve.log") as base:
            started = time.perf_counter()
            _wait(lambda: _get(base) is not None, 3600.0, "mkdocs serve to answer")
            start_s = time.perf_counter() - started
            data_file = project / "data" / "biomarkers" / f"{name}.yaml"
            original = data_file.read_text(encoding="utf-8")
            latencies = [
                _edit_and_wait(
                    data_file,
                    original,
                    f"{base}biomarkers/{name}/",
                    timeout,
                    settle=1.0 + WATCHER_POLL_S * edit / edits,
                )
                for edit in range(edits)
            ]
    return {
        "measure": "serve_edit",
        "n": n if n is not None else "real site",
        "serve_edit_s": round(statistics.median(latencies), 3),
        "serve_edit_runs_s": [round(t, 3) for t in latencies],
        "serve_start_s": round(start_s, 1),
        "python": platform.python_version(),
        "machine": machine(),
    }


def _edit_and_wait(
    data_file: Path, original: str, url: str, timeout: float, settle: float
) -> float:
    """Append a new marker to the summary line, then poll ``url`` every 50 ms until it shows."""
    time.sleep(settle)  # let the previous rebuild and the file watcher settle
    marker = f"benchmarkmarker{uuid.uuid4().hex}"
    edited, count = SUMMARY_LINE.subn(lambda m: f"{m[0]} {marker}", original, count=1)
    assert count == 1, "bug: b2m.yaml has no one-line `summary:`"
    start = time.perf_counter()
    data_file.write_text(edited, encoding="utf-8", newline="\n")
    _wait(lambda: marker in (_get(url) or ""), timeout, f"{marker} on {url}")
    return time.perf_counter() - start


@contextlib.contextmanager
def _serving(project: Path, log: Path) -> Iterator[str]:
    """Run ``mkdocs serve`` on a free loopback port; always stop it, and its children.

    First as Ctrl+C would (the plugin then removes its staging folder), then by force.
    """
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=SERVE_ENV,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
        try:
            yield f"http://127.0.0.1:{port}/"
        except BenchmarkError as error:
            died = "" if process.poll() is None else f" (mkdocs serve exited {process.returncode})"
            output_tail = log.read_text(errors="replace")[-3000:]
            raise BenchmarkError(f"{error}{died}\n{output_tail}") from None
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            _kill_group(process.pid)
            process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    """Return the page at ``url``, or None while the server cannot answer it."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            text: str = response.read().decode("utf-8", errors="replace")
            return text
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait(ready: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise BenchmarkError(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.05)


# ---------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Print one JSON line per N (and one for ``--serve-latency``); 1 if a run failed."""
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100], metavar="N")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the real project")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per child run")
    parser.add_argument(
        "--serve-latency", action="store_true", help="also time mkdocs serve on the real site"
    )
    parser.add_argument(
        "--serve-sizes",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="time mkdocs serve on synthetic knowledge bases of these sizes too",
    )
    parser.add_argument("--stage-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage_worker is not None:
        print(json.dumps(time_stages(args.stage_worker.resolve())))
        return 0
    project = args.project.resolve()
    try:
        for n in args.sizes:
            print(f"bench: N={n} ...", file=sys.stderr, flush=True)
            record = measure(n, project, max(args.repeat, 1), args.timeout)
            print(json.dumps(record | {"date": date.today().isoformat()}), flush=True)
        if args.serve_latency:
            print("bench: mkdocs serve edit loop, real site ...", file=sys.stderr, flush=True)
            print(json.dumps(serve_latency(project)), flush=True)
        for n in args.serve_sizes:
            print(f"bench: mkdocs serve edit loop, N={n} ...", file=sys.stderr, flush=True)
            print(json.dumps(serve_latency(project, n)), flush=True)
    except BenchmarkError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0
