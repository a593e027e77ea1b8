"""The benchmark in one command: times whole `renstra` processes and rewrites bench/RESULTS.md.

    .venv/bin/python bench/run.py [--runs 5] [--sizes 1000,5000,20000] [--quick]

Cases: `renstra build` of the default content and of synthetic content sets of N sub kegiatan
(bench/make_content.py), `renstra check` of the default content, `renstra renja 2024` and
`renstra build --pdf` when the CLI has them, and - when pandoc is installed - pandoc converting
the equivalent Markdown (bench/to_markdown.py) to .docx, measured alternately with our build.
With LibreOffice: `renstra pdf` of the default .docx (print proof included) alternately with a
bare `soffice --convert-to pdf` of the same file, once with LibreOffice started for each
conversion and once with the warm office (render/office.py), and an edit of one pagu followed by
`renstra build --pdf` with the warm office.
Every process is timed from start to exit (wall clock); its peak resident memory comes from
os.wait4 (the maximum RSS of the process and its waited-for children). Because `renstra build`
renders the workbook in a second process, each renstra case also gets one untimed run in which
the memory of the whole process tree is sampled (proportional set size, so pages the two processes
share count once). A case that fails is recorded as "gagal" with the first line of its message;
the script itself does not stop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_CONTENT = ROOT / "content"
WARMUP_LIMIT = 30.0  # seconds: a first run slower than this is kept as a sample, not discarded


# ---------------------------------------------------------------- measuring

@dataclass
class Sample:
    seconds: float
    rss_kb: int
    code: int
    output: str
    timed_out: bool = False


@dataclass
class Result:
    """One case: its samples, or why it has none."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    status: str = "ok"  # ok | gagal | timeout | belum tersedia | tidak diukur
    note: str = ""
    killed: Sample | None = None  # the run stopped at the timeout (its RSS is a lower bound)
    tree_kb: int | None = None  # peak PSS of the process tree, from a separate sampled run

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.rss_kb for s in self.samples) / 1024

    @property
    def memory_mb(self) -> float:
        """The memory figure a target is judged by: the larger of peak RSS and the tree's peak PSS."""
        return max(self.peak_mb, (self.tree_kb or 0) / 1024)


def run_once(cmd: list[str], timeout: float) -> Sample:
    """Run one process to its end; wall time and peak RSS (os.wait4) of that process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Sample(seconds, usage.ru_maxrss, proc.returncode, text, fired.is_set())


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError):
            pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_peak_kb(cmd: list[str], timeout: float, every: float = 0.02) -> int | None:
    """Run once, sampling the summed PSS of the process tree every `every` seconds; its peak in kB.

    None where /proc cannot tell (not Linux)."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    peak = 0
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
        time.sleep(every)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    return peak


def run_helper(script: str, *args: str) -> str | None:
    """Run a bench helper in its own process; None on success, else the reason it failed.

    Heavy work stays out of the runner because Linux reports a spawned process's ru_maxrss as at
    least the peak RSS of the process that spawned it."""
    p = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, capture_output=True, text=True)
    return None if p.returncode == 0 else failure_line(p.stderr or p.stdout)


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "(tanpa pesan)")


def failure_line(text: str) -> str:
    """The line that says why a process failed: a traceback's last line, else the first error."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1]
    return next((line for line in lines if "galat:" in line or line.startswith("Gagal")), first_line(text))


def accept(sample: Sample, result: Result, ok_codes: tuple[int, ...]) -> bool:
    """Record a failed sample on the result; True when the sample is a success."""
    if sample.timed_out:
        result.status, result.killed = "timeout", sample
        result.note = (f"dihentikan setelah batas waktu {sample.seconds:.0f} s "
                       f"(puncak RSS sampai saat itu {sample.rss_kb / 1024:.0f} MB)")
        return False
    if sample.code not in ok_codes:
        result.status, result.note = "gagal", failure_line(sample.output)
        return False
    return True


def measure(cases: list[tuple[Result, list[str], tuple[int, ...]]], runs: int, timeout: float) -> None:
    """Time the cases alternately, `runs` times each, after one warm-up run of each.

    A warm-up slower than WARMUP_LIMIT counts as the first sample (its cache effects are noise).
    A case that fails or times out stops being run; the others go on."""
    live = []
    for result, cmd, ok_codes in cases:
        sample = run_once(cmd, timeout)
        if accept(sample, result, ok_codes):
            live.append((result, cmd, ok_codes))
            if sample.seconds > WARMUP_LIMIT:
                result.samples.append(sample)
    for _ in range(runs):
        for result, cmd, ok_codes in list(live):
            if len(result.samples) >= runs:
                continue
            sample = run_once(cmd, timeout)
            if accept(sample, result, ok_codes):
                result.samples.append(sample)
            else:
                live.remove((result, cmd, ok_codes))
    for result, cmd, _ in cases:
        if result.samples and not result.note:
            result.note = summary_note(result.samples[-1].output)
        if result.ok and cmd[:len(renstra())] == renstra():
            result.tree_kb = tree_peak_kb(cmd, timeout)


def summary_note(output: str) -> str:
    """The check summary line, if the output has one."""
    return next((line.strip() for line in output.splitlines() if line.startswith("Hasil pemeriksaan")), "")


# ---------------------------------------------------------------- the CLI under test

def renstra() -> list[str]:
    exe = Path(sys.executable).parent / "renstra"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "renstra_gen"]


@functools.lru_cache(maxsize=None)
def help_text(*args: str) -> str:
    try:
        return subprocess.run(renstra() + list(args) + ["--help"], cwd=ROOT, capture_output=True,
                              text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def has_command(name: str) -> bool:
    """Whether `renstra --help` lists the command (its heading is "Perintah:" since the help is in
    Bahasa Indonesia, "Commands:" before)."""
    text = help_text()
    heading = next((h for h in ("Perintah:", "Commands:") if h in text), None)
    if heading is None:
        return False
    return any(line.split()[:1] == [name] for line in text.split(heading, 1)[1].splitlines())


# ---------------------------------------------------------------- machine

def command_version(cmd: list[str]) -> str:
    if not shutil.which(cmd[0]):
        return "tidak terpasang"
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return f"tidak dapat dijalankan ({e})"
    return first_line(p.stdout or p.stderr)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "tidak diketahui"


def ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    return "tidak diketahui"


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                               text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "tidak diketahui"
    return f"{head} + perubahan belum di-commit" if dirty else head


def machine() -> list[tuple[str, str]]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("CPU", cpu_model()),
        ("Cores", f"{cpus} usable ({os.cpu_count()} logical)"),
        ("RAM", ram_gib()),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("renstra-gen", command_version(renstra() + ["--version"]) + f", commit {git_revision()}"),
        ("LibreOffice", command_version(["soffice", "--version"])),
        ("pandoc", command_version(["pandoc", "--version"])),
        ("Graphviz", command_version(["dot", "-V"])),
    ]


# ---------------------------------------------------------------- the cases

class Bench:
    """Prepares the inputs, runs every case and keeps the results by case id."""

    def __init__(self, runs: int, sizes: list[int], timeout: float, work: Path):
        self.runs, self.sizes, self.timeout, self.work = runs, sizes, timeout, work
        self.results: dict[str, Result] = {}
        self.pandoc = shutil.which("pandoc")
        self.content_info: list[tuple[str, str]] = []
        # a cache of our own (figures, compiled narrative): the warm-up run fills it, as a previous
        # build does for a planner; "tanpa cache" measures a build with none
        os.environ["RENSTRA_CACHE_DIR"] = str(work / "cache")

    def result(self, key: str, name: str) -> Result:
        self.results[key] = Result(name)
        return self.results[key]

    def build_cmd(self, content: Path, tag: str, *extra: str) -> list[str]:
        return renstra() + ["build", *extra, "--content", str(content), "--out", str(self.work / f"out-{tag}")]

    def pandoc_case(self, content: Path, tag: str, name: str):
        """The pandoc case for a content folder, or None (not installed / no Markdown)."""
        result = self.result(f"pandoc-{tag}", name)
        if not self.pandoc:
            result.status, result.note = "tidak diukur", "pandoc tidak terpasang"
            return None
        md = self.work / f"{tag}.md"
        why = run_helper("to_markdown.py", str(content), str(md))
        if why:  # e.g. incomplete content: report, do not crash
            result.status, result.note = "gagal", f"Markdown tidak dapat dibuat: {why}"
            return None
        return result, [self.pandoc, str(md), "-f", "markdown", "-t", "docx", "-o", str(self.work / f"{tag}.docx")], (0,)

    def build_pair(self, content: Path, tag: str, label: str) -> None:
        ours = (self.result(f"build-{tag}", f"renstra build, {label}"), self.build_cmd(content, tag), (0,))
        pandoc = self.pandoc_case(content, tag, f"pandoc → docx, {label}")
        self.report_progress(f"build {label}")
        measure([ours] + ([pandoc] if pandoc else []), self.runs, self.timeout)
        if pandoc and ours[0].ok and pandoc[0].ok:
            print(f"  ours/pandoc = {ours[0].median / pandoc[0].median:.2f}", flush=True)

    def synthetic(self, n: int, label: str) -> Path | None:
        content = self.work / f"content-{n}"
        why = run_helper("make_content.py", "--sub-kegiatan", str(n), "--out", str(content))
        if why:
            result = self.result(f"build-{n}", f"renstra build, {label}")
            result.status, result.note = "gagal", f"konten sintetis tidak dapat dibuat: {why}"
            return None
        size = sum(p.stat().st_size for p in content.rglob("*") if p.is_file())
        self.content_info.append((f"N = {n:,}", f"{size / 1024:,.0f} KB of content files"))
        return content

    def optional(self, key: str, name: str, available: bool, cmd: list[str]) -> None:
        result = self.result(key, name)
        if not available:
            result.status, result.note = "belum tersedia", "belum ada di renstra --help"
            return
        self.report_progress(name)
        measure([(result, cmd, (0,))], self.runs, self.timeout)

    def report_progress(self, what: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {what} ...", flush=True)

    def run_all(self) -> None:
        self.build_pair(DEFAULT_CONTENT, "default", "konten bawaan")
        self.optional("build-nocache", "renstra build, konten bawaan, tanpa cache", True,
                      ["env", "RENSTRA_NO_CACHE=1", *self.build_cmd(DEFAULT_CONTENT, "nocache")])
        self.edited("build-edit", "renstra build, konten bawaan, satu pagu diubah sebelum tiap run")
        self.report_progress("check konten bawaan")
        check = self.result("check-default", "renstra check, konten bawaan")
        measure([(check, renstra() + ["check", "--content", str(DEFAULT_CONTENT)], (0, 1))], self.runs, self.timeout)
        if check.ok and not check.note:
            check.status, check.note = "gagal", "tidak ada ringkasan 'Hasil pemeriksaan'"
        for n in self.sizes:
            label = f"N = {n:,} sub kegiatan"
            content = self.synthetic(n, label)
            if content is not None:
                self.build_pair(content, str(n), label)
        renja_help = help_text("renja") if has_command("renja") else ""
        renja = renstra() + ["renja", "2024"]
        if "--out" in renja_help:
            renja += ["--out", str(self.work / "out-renja")]
        self.optional("renja", "renstra renja 2024", has_command("renja"), renja)
        self.optional("pdf", "renstra build --pdf, konten bawaan", "--pdf" in help_text("build"),
                      self.build_cmd(DEFAULT_CONTENT, "pdf", "--pdf"))
        self.pdf_cases()

    def pdf_cases(self) -> None:
        """`renstra pdf` of the default .docx against a bare `soffice --convert-to pdf` of the same
        file, alternately in the same run: with the office started for each conversion
        (RENSTRA_OFFICE_IDLE=0) and with the warm office converting in full; the same .docx again (the
        warm office's incremental path, with nothing to change); then one pagu edited before each
        `renstra build --pdf` with the warm office (incremental when the edit allows it)."""
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        keys = {"pdf-bare": "soffice --convert-to pdf (tanpa renstra), .docx konten bawaan",
                "pdf-cold": "renstra pdf, .docx konten bawaan, LibreOffice dimulai tiap kali",
                "pdf-warm": "renstra pdf, .docx konten bawaan, kantor hangat, konversi penuh",
                "pdf-same": "renstra pdf, .docx yang sama lagi, kantor hangat (konversi bertahap)",
                "pdf-edit": "ubah satu pagu lalu renstra build --pdf, kantor hangat"}
        docx = next((p for p in (self.work / "out-default").glob("*.docx") if not p.stem.endswith("-draft")), None)
        why = ("LibreOffice tidak terpasang" if not soffice else "belum ada di renstra --help" if not has_command("pdf")
               else "build konten bawaan gagal" if docx is None else "")
        if why:
            for key, name in keys.items():
                r = self.result(key, name)
                r.status, r.note = "tidak diukur", why
            return
        bare = (self.result("pdf-bare", keys["pdf-bare"]),
                [soffice, f"-env:UserInstallation={(self.work / 'bare-profile').as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(self.work / "bare"), str(docx)], (0,))
        ours = [*renstra(), "pdf", str(docx)]
        self.stop_office()
        self.report_progress("renstra pdf vs soffice --convert-to pdf, LibreOffice dimulai tiap kali")
        measure([(self.result("pdf-cold", keys["pdf-cold"]),
                  ["env", "RENSTRA_OFFICE_IDLE=0", *ours, "--out", str(self.work / "cold.pdf")], (0,)), bare],
                self.runs, self.timeout)
        self.report_progress("renstra pdf, kantor hangat")
        bare_again = Result(bare[0].name)
        # a full conversion each time (RENSTRA_OFFICE_INCREMENTAL=0): the same work as the bare soffice;
        # the same .docx again would otherwise take the incremental path, which has nothing to load
        measure([(self.result("pdf-warm", keys["pdf-warm"]),
                  ["env", "RENSTRA_OFFICE_INCREMENTAL=0", *ours, "--out", str(self.work / "warm.pdf")], (0,)),
                 (bare_again, bare[1], (0,))], self.runs, self.timeout)
        measure([(self.result("pdf-same", keys["pdf-same"]), [*ours, "--out", str(self.work / "same.pdf")], (0,))],
                self.runs, self.timeout)
        self.results["pdf-bare"].samples += bare_again.samples  # both series run in the same conditions
        self.report_progress("ubah satu pagu lalu build --pdf, kantor hangat")
        self.edit_then_build()
        self.stop_office()

    def edit_then_build(self) -> None:
        """Before each timed `renstra build --pdf` (warm office), one sub kegiatan's pagu changes."""
        self.edited("pdf-edit", "ubah satu pagu lalu renstra build --pdf, kantor hangat", "--pdf")

    def edited(self, key: str, name: str, *extra: str) -> None:
        """`renstra build` with one sub kegiatan's pagu changed before each run: what the caches of
        unchanged content (figures, narrative, parsed files, table pieces) leave to do after an edit."""
        result = self.result(key, name)
        content = self.work / f"content-{key}"
        shutil.copytree(DEFAULT_CONTENT, content)
        table = content / "tabel" / "program-pendanaan.yaml"
        text = table.read_text(encoding="utf-8")
        old = "pagu: {2022: 15000000,"
        if old not in text:
            result.status, result.note = "tidak diukur", f"{old!r} tidak ada di {table.name}"
            return
        self.report_progress(name)
        cmd = self.build_cmd(content, key, *extra)
        for run in range(self.runs + 1):  # the first run fills the caches (and starts the office)
            table.write_text(text.replace(old, f"pagu: {{2022: {15000000 + 1000 * (run + 1)},", 1), encoding="utf-8")
            sample = run_once(cmd, self.timeout)
            if not accept(sample, result, (0,)):
                return
            if run:
                result.samples.append(sample)
        result.note = "konten bawaan, tabel/program-pendanaan.yaml diubah sebelum tiap run"

    def stop_office(self) -> None:
        """End the warm office the cases above use (it lives in this run's cache folder)."""
        subprocess.run([sys.executable, "-c", "from renstra_gen.render.office import Office; Office().stop()"],
                       cwd=ROOT, capture_output=True)


# ---------------------------------------------------------------- targets

def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def unmeasured(r: Result | None, why: str = "tidak diukur") -> str:
    if r is None:
        return why
    return f"{r.status}: {r.note}" if r.note else r.status


def time_target(r: Result | None, limit: float) -> tuple[str, str]:
    if r is not None and r.killed:
        return f"> {r.killed.seconds:.0f} s (dihentikan)", "FAIL"
    if r is None or not r.ok:
        return unmeasured(r), "n/a"
    return f"{r.median:.2f} s", verdict(r.median <= limit)


def rss_target(r: Result | None, limit_mb: float) -> tuple[str, str]:
    if r is not None and r.killed:
        mb = r.killed.rss_kb / 1024
        return f"≥ {mb:.0f} MB (dihentikan)", "FAIL" if mb > limit_mb else "n/a"
    if r is None or not r.ok:
        return unmeasured(r), "n/a"
    tree = f", pohon proses {r.tree_kb / 1024:.0f} MB PSS" if r.tree_kb else ""
    return f"{r.memory_mb:.0f} MB (RSS terbesar {r.peak_mb:.0f} MB{tree})", verdict(r.memory_mb <= limit_mb)


def ratio_target(r: Result | None, base: Result | None, limit: float, base_name: str) -> tuple[str, str]:
    """r's median time over base's median, against limit."""
    if base is None or not base.ok:
        return f"{base_name}: {unmeasured(base)}", "n/a"
    if r is not None and r.killed:
        low = r.killed.seconds / base.median
        return f"> {low:.1f} × (dihentikan)", "FAIL" if low > limit else "n/a"
    if r is None or not r.ok:
        return unmeasured(r), "n/a"
    ratio = r.median / base.median
    return f"{ratio:.2f} × ({r.median:.2f} s / {base.median:.2f} s)", verdict(ratio <= limit)


def targets(res: dict[str, Result]) -> list[tuple[str, str, str]]:
    b5 = res.get("build-5000")
    return [
        ("build konten bawaan ≤ 0.6 × pandoc",
         *ratio_target(res.get("build-default"), res.get("pandoc-default"), 0.6, "pandoc")),
        ("build konten bawaan, satu pagu diubah sebelum tiap run ≤ 0.6 × pandoc (bukan target isu: build setelah suntingan)",
         *ratio_target(res.get("build-edit"), res.get("pandoc-default"), 0.6, "pandoc")),
        ("build N = 5.000 ≤ 1.5 s", *time_target(b5, 1.5)),
        ("build N = 20.000 ≤ 4 × N = 5.000", *ratio_target(res.get("build-20000"), b5, 4.0, "N = 5.000")),
        ("build N = 20.000 ≤ 500 MB PSS pohon proses", *rss_target(res.get("build-20000"), 500)),
        ("check konten bawaan ≤ 0.5 s", *time_target(res.get("check-default"), 0.5)),
        ("renstra pdf (kantor hangat, konversi penuh) ≤ 1.2 × soffice --convert-to pdf",
         *ratio_target(res.get("pdf-warm"), res.get("pdf-bare"), 1.2, "soffice")),
        ("renstra pdf (LibreOffice dimulai tiap kali) ≤ 1.2 × soffice --convert-to pdf",
         *ratio_target(res.get("pdf-cold"), res.get("pdf-bare"), 1.2, "soffice")),
        ("ubah satu pagu lalu build --pdf (kantor hangat) ≤ 2.5 s", *time_target(res.get("pdf-edit"), 2.5)),
    ]


# ---------------------------------------------------------------- report

def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def timing_row(r: Result) -> list[str]:
    if not r.samples:
        return [r.name, "0", "-", "-", "-", "-", "-", unmeasured(r)]
    secs = [s.seconds for s in r.samples]
    note = r.note if r.status == "ok" else unmeasured(r)
    tree = f"{r.tree_kb / 1024:.0f}" if r.tree_kb else "-"
    return [r.name, str(len(secs)), f"{statistics.median(secs):.2f}", f"{min(secs):.2f}", f"{max(secs):.2f}",
            f"{r.peak_mb:.0f}", tree, note.replace("|", "\\|")]


def comparison_rows(res: dict[str, Result]) -> list[list[str]]:
    rows = []
    for key, r in res.items():
        if not key.startswith("build-") or key.removeprefix("build-") == "pdf":
            continue
        p = res.get("pandoc-" + key.removeprefix("build-"))
        if p is None:
            continue
        ours = f"{r.median:.2f}" if r.ok else unmeasured(r)
        theirs = f"{p.median:.2f}" if p.ok else unmeasured(p)
        ratio = f"{r.median / p.median:.2f}" if r.ok and p.ok else "-"
        rows.append([r.name.removeprefix("renstra build, "), ours, theirs, ratio])
    return rows


def runner_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(bench: Bench, argv: list[str]) -> str:
    res = bench.results
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    parts = [
        "# Benchmark results",
        f"Written by `.venv/bin/python bench/run.py {' '.join(argv)}`".rstrip() + f" on {when}. "
        "Do not edit by hand; run the command again.",
        "## Machine",
        table(["", ""], [[k, v.replace("|", "\\|")] for k, v in machine()]),
        "## Targets",
        table(["Target", "Measured", "Result"], [list(t) for t in targets(res)]),
        "## Timings",
        f"Whole processes, wall clock, {bench.runs} timed run(s) per case after one warm-up run (a warm-up "
        f"slower than {WARMUP_LIMIT:.0f} s is kept as the first run). Peak RSS: the largest maximum resident "
        f"set size over the runs (os.wait4); it is never below the runner's own peak, "
        f"{runner_peak_mb():.0f} MB, which Linux counts into every process the runner starts. "
        "Tree PSS: the peak of the summed proportional set size of the process and its children "
        "(renstra build renders the workbook in a forked child), sampled every 20 ms in one extra, "
        "untimed run. The figures and compiled narrative are cached between builds "
        "(RENSTRA_CACHE_DIR, filled by the warm-up run); the \"tanpa cache\" case runs with "
        f"RENSTRA_NO_CACHE=1. Timeout per process: {bench.timeout:.0f} s.",
        table(["Case", "Runs", "Median (s)", "Min (s)", "Max (s)", "Peak RSS (MB)", "Tree PSS (MB)", "Note"],
              [timing_row(r) for r in res.values()]),
        "## renstra build vs pandoc",
        "pandoc converts the equivalent Markdown (bench/to_markdown.py: the same headings, paragraphs and "
        "lists, every table as a pipe table) to .docx; both are measured alternately in the same run.",
        table(["Content", "renstra build median (s)", "pandoc median (s)", "ours / pandoc"], comparison_rows(res)),
    ]
    if bench.content_info:
        parts += ["## Synthetic content", "Made by `bench/make_content.py --sub-kegiatan N` (seeded, "
                  "checks with 0 errors and 0 warnings).",
                  table(["Size", "Content"], [list(c) for c in bench.content_info])]
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- main

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed runs per case (default 5; --quick: 1)")
    parser.add_argument("--sizes", help="synthetic sizes in sub kegiatan, comma-separated "
                                        "(default 1000,5000,20000; --quick: 1000)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: one run, N = 1,000 only")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per process (default 600)")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="report file (default bench/RESULTS.md)")
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 5)
    sizes = args.sizes or ("1000" if args.quick else "1000,5000,20000")
    args.sizes = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="renstra-bench-") as work:
        bench = Bench(args.runs, args.sizes, args.timeout, Path(work))
        bench.run_all()
        args.output.write_text(report(bench, argv), encoding="utf-8")
    print(f"ditulis: {args.output}")
    for name, measured, result in targets(bench.results):
        print(f"  {result:4}  {name}: {measured}")


if __name__ == "__main__":
    main()
