"""Benchmark make-report against Typst's own floor and LibreOffice.

    make bench                      # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --sizes 14,100 --runs 3      # a quick look
    .venv/bin/python bench/run.py --stages                      # + in-process stage times

For plans of 14 (the sample input/action_plan.xlsx), 100, 1,000 and 5,000
actions it measures, as whole processes (wall time: median of several runs,
interleaved so that load on the machine hits every column alike):

- make-report with all formats, docx only and pdf only;
- make-report with all formats in one process (WFS_REPORTS_PROCESSES=0), to
  show what its side processes buy;
- the floor: Typst alone, in a fresh process, compiling the report's own data
  with a bare template (plain headings and five-column tables; none of the
  report's styling, summary or checks);
- LibreOffice headless converting our own .docx of the same plan to PDF
  (warmed once first, so creating its profile is not timed).

It checks every size's PDF (header row on every page of the action tables,
bookmarks, "Page X of Y", tags, made by Typst), that two runs give the same
bytes and that the side processes change no byte. Results are printed and
written to bench/results/latest.md. Whatever is missing (no soffice) is
reported as such, never as a failure of the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "input" / "action_plan.xlsx"
RESULTS = REPO / "bench" / "results"
BIN = Path(sys.executable).parent
MAKE_REPORT = BIN / "make-report"

# The floor: Typst alone on the report's own data (data.json as make-report
# writes it for the template), laid out as plainly as the content allows.
FLOOR_TEMPLATE = """
#let data = json("data.json")
#set document(title: data.title)
#set text(font: "Liberation Sans", size: 9pt, lang: "en", region: "GB")
#set page(paper: "a4", margin: (top: 22mm, bottom: 24mm, x: 16mm))
= #data.heading
#for rec in data.recommendations {
  heading(level: 2, rec.heading)
  par(rec.text)
  table(columns: (30%, 15%, 12%, 30%, 13%),
    table.header([Action], [Owner(s)], [Completion Date], [Comments], [RAG Status]),
    ..rec.actions.map(a => (a.action, a.owners, a.completion_date,
      a.comments + "\n" + a.computed_comment, a.rag.label)).flatten())
}
"""
# Writes the plan's data.json (argv[1] workbook, argv[2] folder).
DATA_CODE = r"""
import json, sys
from pathlib import Path
from wfs_reports.domain.assess import assess_plan
from wfs_reports.workbook.source import load_source
from wfs_reports.report.build import build_context
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.render.pdf import report_data
from wfs_reports.config import load_templates
src = load_source(Path(sys.argv[1])); tpl = load_templates(None)
plan = read_workbook(src.data, src.name, tpl.rules.labels()); as_at = plan.settings.as_at
ctx = build_context(plan, assess_plan(plan, as_at, tpl.rules), as_at=as_at,
    source_file=src.name, source_sha256=src.sha256, brand=tpl.brand, rules=tpl.rules)
data, _ = report_data(ctx, tpl.folder / "fonts")
(Path(sys.argv[2]) / "data.json").write_text(json.dumps(data), encoding="utf-8")
print(tpl.folder / "fonts")
"""
# Compiles argv[1]/floor.typ with only the bundled fonts (argv[2]).
FLOOR_CODE = r"""
import sys, typst
fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                    font_paths=[sys.argv[2]])
typst.compile(sys.argv[1] + "/floor.typ", root=sys.argv[1], font_paths=fonts,
              pdf_standards=["ua-1"], timestamp=0)
"""

SIZES = (14, 100, 1000, 5000)
# Runs per size: fewer for the big plans, so the whole bench stays well under
# 15 minutes on a 2-core machine.
RUNS = {14: 7, 100: 5, 1000: 3, 5000: 1}
RECOMMENDATIONS = {100: 8, 1000: 12, 5000: 20}
TABLE_HEADER = ("Action", "Owner(s)", "Completion Date", "Comments", "RAG Status")


# --------------------------------------------------------------------------
# Workbooks


def _sample_texts() -> tuple[list[dict], list[tuple]]:
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import build_sample_workbook as sample
    finally:
        sys.path.pop(0)
    return sample.ACTIONS, sample.RECOMMENDATIONS


# Completion dates as officers write them (all spellings the reader knows),
# plus real Excel dates, blanks and the odd one it cannot read.
DUE_SPELLINGS = (
    "Q4 2023-24", "Q1 2024-25", "Q2 and Q3 2023-24", "March 2024", "31/03/2024",
    "30/06/2024", "2024-09-30", "Ongoing", "TBC", "Stage 1: Q4 2023-24 Stage 2: TBC",
    "Stage 1: Q3 2023-24 Stage 2: Q2 2024-25", "2024/25", "31st March 2024",
    "End of June 2024", "Mar-24", "April - June 2024", "Winter 2023/24",
    "Q2 -2024-25 to increase placements", "By end of December 2023",
)  # fmt: skip
EXCEL_DATES = (dt.datetime(2023, 10, 31), dt.datetime(2024, 3, 31), dt.datetime(2024, 12, 31))
OWNERS = (
    "Francesca Okosi – Chief People and Culture Officer",
    "Head of ICS Workforce Planning and Systems",
    "Director of Adult Social Care",
    "Head of Primary Care Workforce\nTraining Hub Lead",
    "Corporate Director, Housing and Regeneration",
    "Workforce Programme Team",
    "Director of Public Health",
    "Head of Education and Careers Service",
)  # fmt: skip
STATUSES = ("In progress",) * 9 + ("Not started",) * 5 + ("Completed",) * 5 + ("Not applicable",)


def _words(texts: list[str]) -> list[str]:
    return [w for t in texts for w in t.split() if w.isprintable()]


def _sentence(rng: random.Random, words: list[str], chars: int) -> str:
    out: list[str] = []
    n = 0
    start = rng.randrange(len(words))
    while n < chars:
        word = words[(start + len(out)) % len(words)] if rng.random() < 0.8 else rng.choice(words)
        out.append(word)
        n += len(word) + 1
    text = " ".join(out).rstrip(",;:")
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _length(rng: random.Random, low: int, typical: int, high: int) -> int:
    return max(low, min(high, int(rng.lognormvariate(0, 0.5) * typical)))


def generate_workbook(path: Path, n_actions: int, seed: int = 2023) -> None:
    """A plan of ``n_actions`` actions with the sample's vocabulary and text lengths."""
    import openpyxl

    sample_actions, sample_recs = _sample_texts()
    rng = random.Random(seed + n_actions)
    action_words = _words([a["action"] for a in sample_actions])
    comment_words = _words([str(a.get("comments") or "") for a in sample_actions])
    rec_texts = [r[1] for r in sample_recs]
    n_recs = RECOMMENDATIONS.get(n_actions, max(3, min(20, n_actions // 60)))

    wb = openpyxl.Workbook()
    report = wb.active
    report.title = "Report"
    report.append(["Setting", "Value"])
    for row in (
        ("Title", "WFS Action Plan Update"),
        ("Heading", "Workforce Shortages Across the Health and Social Care Sector "
                    "Action Plan Update"),
        ("Organisation", "Tower Hamlets Together"),
        ("Meeting", "Tower Hamlets Together Board"),
        ("Meeting date", dt.datetime(2023, 12, 7)),
        ("As at", dt.datetime(2023, 11, 22)),
        ("Prepared by", "Workforce Programme Team, NHS North East London ICB"),
        ("Classification", "Open (Unrestricted)"),
    ):
        report.append(list(row))

    recs = wb.create_sheet("Recommendations")
    recs.append(["Ref", "Recommendation", "Comments from Service"])
    for ref in range(1, n_recs + 1):
        cfs = ""
        if ref % 3 == 0:
            cfs = "\n\n".join(_sentence(rng, comment_words, _length(rng, 80, 250, 500))
                              for _ in range(rng.randint(1, 2)))
        recs.append([ref, rec_texts[(ref - 1) % len(rec_texts)], cfs or None])

    acts = wb.create_sheet("Actions")
    acts.append(["Ref", "Action", "Owner(s)", "Completion Date", "Status", "Comments",
                 "RAG Override", "Override Reason", "Last Updated"])
    for i in range(n_actions):
        ref = 1 + i * n_recs // n_actions  # in order, spread over the recommendations
        roll = rng.random()
        due: object = rng.choice(EXCEL_DATES) if roll < 0.15 else (
            None if roll < 0.18 else rng.choice(DUE_SPELLINGS))
        if i % 97 == 96:
            due = "Spring, subject to funding"  # one the reader cannot place
        comments = ""
        if rng.random() < 0.85:
            comments = _sentence(rng, comment_words, _length(rng, 25, 170, 700))
            if rng.random() < 0.1:
                comments += "\n\n" + _sentence(rng, comment_words, _length(rng, 40, 150, 400))
        override = reason = None
        if i % 150 == 75:
            override, reason = "Completed Action", "Confirmed complete at the programme board."
        updated = dt.datetime(2023, 11, 22) - dt.timedelta(days=rng.randint(0, 75))
        acts.append([
            ref,
            _sentence(rng, action_words, _length(rng, 60, 170, 600)),
            rng.choice(OWNERS),
            due,
            rng.choice(STATUSES),
            comments or None,
            override,
            reason,
            updated,
        ])
    wb.save(path)


# --------------------------------------------------------------------------
# Measuring


@dataclass
class Measure:
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    tree_kb: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss_kb) / 1024 if self.rss_kb else None

    @property
    def tree_mb(self) -> float | None:
        return max(self.tree_kb) / 1024 if self.tree_kb else None


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """(largest single process, sum) of the resident memory of a process and
    all its descendants now (kB; 0 if gone)."""
    total = largest = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"VmRSS:"):
                        rss = int(line.split()[1])
                        total += rss
                        largest = max(largest, rss)
                        break
            with open(f"/proc/{p}/task/{p}/children", "rb") as children:
                todo.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return largest, total


def run_once(cmd: list[str], measure: Measure, timeout: float = 900,
             env: dict[str, str] | None = None) -> bool:
    """Run ``cmd``; record wall time and peak memory.

    Peak memory is the largest single process: the larger of wait4's max RSS
    (the biggest process of the tree) and what sampling every 50 ms saw. The
    largest sum over the whole tree is kept too (it counts shared pages, such
    as a forked process's, twice, so it errs high).
    """
    sample_tree = os.path.isdir("/proc")
    single_peak = tree_peak = 0
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        deadline = start + timeout
        next_sample = start
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                measure.error = f"timed out after {timeout:.0f} s"
                return False
            if sample_tree and now >= next_sample:
                single, total = _tree_rss_kb(proc.pid)
                single_peak, tree_peak = max(single_peak, single), max(tree_peak, total)
                next_sample = now + 0.05
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:]
            measure.error = f"exit {proc.returncode}: {' '.join(tail)[:200]}"
            return False
    measure.times.append(elapsed)
    measure.rss_kb.append(max(usage.ru_maxrss, single_peak))  # kB on Linux
    measure.tree_kb.append(max(tree_peak, usage.ru_maxrss))
    return True


def report_cmd(workbook: Path, out: Path, formats: str) -> list[str]:
    return [str(MAKE_REPORT), str(workbook), "--out", str(out), "--format", formats, "--quiet",
            "--no-previous"]


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_cmd(soffice: str, profile: Path, docx: Path, out: Path) -> list[str]:
    return [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", "pdf", "--outdir", str(out), str(docx)]


# --------------------------------------------------------------------------
# Checks


def check_pdf(pdf: Path, expected_refs: list[int]) -> dict:
    """Header row on every action-table page, bookmarks, Page X of Y, tags, Typst."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    total = len(pages)
    problems: list[str] = []

    def flat(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from flat(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    outline = list(flat(reader.outline))
    titles = [t for d, t, _ in outline if d == 1]
    expected = ["Summary"] + [f"Recommendation {r}" for r in expected_refs]
    if titles != expected:
        problems.append(f"bookmarks {titles[:4]}... != {expected[:4]}...")
    rec_pages = [p for d, t, p in outline if d == 1 and t.startswith("Recommendation")]
    first_table_page = min(rec_pages) if rec_pages else total
    # A last page holding only "End of report." (the last table ended with its
    # page) has no table to head.
    no_header = [i + 1 for i in range(first_table_page, total)
                 if not all(h in pages[i] for h in TABLE_HEADER)
                 and not (i == total - 1 and "End of report." in pages[i]
                          and len(pages[i].split()) < 30)]
    if no_header:
        problems.append(f"no table header on pages {no_header[:10]}")
    bad_footer = [i + 1 for i, text in enumerate(pages) if f"Page {i + 1} of {total}" not in text]
    if bad_footer:
        problems.append(f"no 'Page X of {total}' on pages {bad_footer[:10]}")
    if not reader.trailer["/Root"].get("/StructTreeRoot"):
        problems.append("not tagged")
    if not str(reader.metadata.get("/Creator", "")).startswith("Typst"):
        problems.append("not made by Typst")
    return {"pages": total, "bookmarks": len(outline), "problems": problems}


def floor_folder(workbook: Path, folder: Path) -> tuple[Path, str] | str:
    """A folder with the plan's data.json and the bare template; (folder, fonts) or an error."""
    folder.mkdir(parents=True, exist_ok=True)
    made = subprocess.run([sys.executable, "-c", DATA_CODE, str(workbook), str(folder)],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    if made.returncode != 0:
        return made.stderr.strip()[-300:]
    (folder / "floor.typ").write_text(FLOOR_TEMPLATE, encoding="utf-8")
    return folder, made.stdout.strip()


def stage_times(workbook: Path) -> dict[str, float]:
    """In-process time of each stage (one run, one process), to see where the time goes."""
    code = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from wfs_reports.domain.assess import assess_plan
from wfs_reports.workbook.source import load_source
from wfs_reports.config import load_templates
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.report.build import build_context
t = {"import wfs_reports": time.perf_counter() - t0}
def lap(name, start):
    t[name] = time.perf_counter() - start
s = time.perf_counter(); import openpyxl; lap("import openpyxl", s)
s = time.perf_counter(); src = load_source(Path(sys.argv[1])); tpl = load_templates(None)
plan = read_workbook(src.data, src.name, tpl.rules.labels()); lap("read workbook", s)
s = time.perf_counter()
as_at = plan.settings.as_at
ctx = build_context(plan, assess_plan(plan, as_at, tpl.rules), as_at=as_at,
    source_file=src.name, source_sha256=src.sha256, brand=tpl.brand, rules=tpl.rules)
lap("assess + context", s)
s = time.perf_counter()
from wfs_reports.render import docx as render_docx
lap("import docx renderer", s)
s = time.perf_counter(); render_docx.render(ctx, tpl); lap("render docx", s)
from wfs_reports.render import json as render_json
from wfs_reports.render import pdf as render_pdf
s = time.perf_counter(); render_json.render(ctx, tpl); lap("render json", s)
s = time.perf_counter(); render_pdf.report_data(ctx, tpl.folder / "fonts"); lap("pdf data", s)
s = time.perf_counter(); render_pdf.render(ctx, tpl); lap("render pdf (Typst)", s)
print(json.dumps(t))
"""
    result = subprocess.run([sys.executable, "-c", code, str(workbook)],
                            capture_output=True, text=True, cwd=tempfile.gettempdir())
    if result.returncode != 0:
        return {"error": result.stderr.strip()[-300:]}  # type: ignore[dict-item]
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------
# Report


def fmt_s(m: Measure | None) -> str:
    if m is None:
        return "not installed"
    if m.median is None:
        return f"failed ({m.error})" if m.error else "n/a"
    spread = f" ({min(m.times):.2f}–{max(m.times):.2f})" if len(m.times) > 1 else ""
    return f"{m.median:.2f}{spread}"


def fmt_mb(m: Measure | None, tree: bool = False) -> str:
    if m is None:
        return "not installed"
    value = m.tree_mb if tree else m.peak_mb
    return f"{value:.0f}" if value is not None else "n/a"


def ratio(a: Measure | None, b: Measure | None) -> str:
    if a is None or b is None or a.median is None or b.median is None:
        return "n/a" if b is not None else "not installed"
    return f"{a.median / b.median:.2f}x"


COLUMNS = ("all", "docx", "pdf", "one", "floor", "soffice")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated action counts; 14 = the sample workbook")
    parser.add_argument("--runs", type=int, help="runs per measurement (default: by size)")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage in-process (one extra run per size)")
    parser.add_argument("--no-soffice", action="store_true", help="skip LibreOffice")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    if not MAKE_REPORT.exists():
        print(f"error: {MAKE_REPORT} not found; run 'make bench' (it installs the venv)",
              file=sys.stderr)
        return 2
    soffice = None if args.no_soffice else soffice_path()
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="wfs-bench-"))
    profile = work / "lo-profile"
    one_process = {**os.environ, "WFS_REPORTS_PROCESSES": "0"}
    rows: dict[int, dict] = {}
    try:
        if soffice:  # warm LibreOffice: its first start creates the profile
            warm_out = work / "warm"
            subprocess.run(report_cmd(SAMPLE, warm_out, "docx"), check=True)
            warm = Measure()
            run_once(soffice_cmd(soffice, profile, next(warm_out.glob("*.docx")), warm_out),
                     warm)
            if warm.error:
                print(f"LibreOffice warm-up failed: {warm.error}", file=sys.stderr)

        for size in sizes:
            runs = args.runs or RUNS.get(size, 3)
            if size == 14:
                workbook = SAMPLE
            else:
                workbook = work / f"plan-{size}.xlsx"
                generate_workbook(workbook, size)
            m: dict[str, Measure | None] = {k: Measure() for k in COLUMNS}
            if not soffice:
                m["soffice"] = None
            floor = floor_folder(workbook, work / f"floor-{size}")
            if isinstance(floor, str):
                m["floor"].error = floor  # type: ignore[union-attr]
            outs = []
            print(f"\n== {size} actions, {runs} run(s) each", flush=True)
            for i in range(runs):
                out = work / f"out-{size}-all-{i}"
                run_once(report_cmd(workbook, out, "docx,pdf,json"), m["all"])
                outs.append(out)
                run_once(report_cmd(workbook, work / f"out-{size}-docx", "docx"), m["docx"])
                run_once(report_cmd(workbook, work / f"out-{size}-pdf", "pdf"), m["pdf"])
                run_once(report_cmd(workbook, work / f"out-{size}-one", "docx,pdf,json"),
                         m["one"], env=one_process)
                if not isinstance(floor, str):
                    run_once([sys.executable, "-c", FLOOR_CODE, str(floor[0]), floor[1]],
                             m["floor"])
                if soffice and outs[0].exists():
                    run_once(soffice_cmd(soffice, profile, next(outs[0].glob("*.docx")),
                                         work / f"lo-{size}"), m["soffice"])
                print("  run", i + 1, {k: f"{v.times[-1]:.2f}s" if v and v.times else
                                       (v.error if v else "not installed")
                                       for k, v in m.items()}, flush=True)
            row: dict = {"measures": m, "runs": runs}
            if m["all"].times:  # type: ignore[union-attr]
                snapshot = json.loads(next(outs[0].glob("*.json")).read_bytes())
                refs = [r["ref"] for r in snapshot["recommendations"]]
                row["check"] = check_pdf(next(outs[0].glob("*.pdf")), refs)
                if len(outs) > 1 and all(o.exists() for o in outs[:2]):
                    same = all((outs[0] / f.name).read_bytes() == (outs[1] / f.name).read_bytes()
                               for f in sorted(outs[0].iterdir()))
                    row["deterministic"] = "same bytes" if same else "DIFFERENT bytes"
                else:
                    row["deterministic"] = "not checked (one run)"
                one = work / f"out-{size}-one"
                if one.exists():
                    same = all((outs[0] / f.name).read_bytes() == f.read_bytes()
                               for f in sorted(one.iterdir()))
                    row["one_process"] = "same bytes" if same else "DIFFERENT bytes"
            if args.stages:
                row["stages"] = stage_times(workbook)
            rows[size] = row
            print("  check:", row.get("check"), row.get("deterministic", ""),
                  row.get("one_process", ""), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = render_markdown(rows, soffice, time.perf_counter() - began)
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def render_markdown(rows: dict[int, dict], soffice: str | None, elapsed: float) -> str:
    lines = [
        "# make-report benchmark",
        "",
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, "
        f"LibreOffice: {soffice or 'not installed'}; whole bench {elapsed / 60:.1f} min.",
        "",
        "Wall time in seconds, median of the runs (min–max in brackets); whole processes.",
        "",
        "| actions | runs | all formats | docx only | pdf only | all, one process | Typst floor "
        "| LibreOffice docx→pdf | all / LibreOffice | all / floor | one process / all |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in rows.items():
        m = row["measures"]
        lines.append(
            f"| {size:,} | {row['runs']} | {fmt_s(m['all'])} | {fmt_s(m['docx'])} | "
            f"{fmt_s(m['pdf'])} | {fmt_s(m['one'])} | {fmt_s(m['floor'])} | "
            f"{fmt_s(m['soffice'])} | {ratio(m['all'], m['soffice'])} | "
            f"{ratio(m['all'], m['floor'])} | {ratio(m['one'], m['all'])} |"
        )
    lines += [
        "",
        "Peak memory (MB): the largest single process, and in brackets the sum over the "
        "process tree (shared pages counted twice):",
        "",
        "| actions | all formats | docx only | pdf only | all, one process | Typst floor "
        "| LibreOffice |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in rows.items():
        m = row["measures"]
        lines.append(f"| {size:,} | " + " | ".join(
            f"{fmt_mb(m[k])} ({fmt_mb(m[k], tree=True)})" if m[k] is not None else
            "not installed" for k in ("all", "docx", "pdf", "one", "floor", "soffice")) + " |")
    if 1000 in rows and 5000 in rows:
        lines += ["", "Scaling, 5,000 / 1,000 actions: " + ", ".join(
            f"{name} {ratio(rows[5000]['measures'][name], rows[1000]['measures'][name])}"
            for name in ("all", "docx", "pdf", "floor", "soffice"))]
    lines += ["", "Checks:", "",
              "| actions | pages | bookmarks | header row, Page X of Y, tags, Typst "
              "| same bytes twice | one process = side processes |",
              "|---:|---:|---:|---|---|---|"]
    for size, row in rows.items():
        c = row.get("check")
        if not c:
            lines.append(f"| {size:,} | n/a | n/a | not checked (no PDF) | n/a | n/a |")
            continue
        assessment = "ok on every page" if not c["problems"] else "; ".join(c["problems"])
        lines.append(f"| {size:,} | {c['pages']} | {c['bookmarks']} | {assessment} | "
                     f"{row.get('deterministic', 'n/a')} | "
                     f"{row.get('one_process', 'not checked')} |")
    staged = {s: r["stages"] for s, r in rows.items() if "stages" in r}
    if staged:
        names = list(next(iter(staged.values())).keys())
        lines += ["", "In-process stage times (s, one run):", "",
                  "| actions | " + " | ".join(names) + " |",
                  "|---:|" + "---:|" * len(names)]
        for size, st in staged.items():
            lines.append(f"| {size:,} | " + " | ".join(
                f"{st[n]:.2f}" if isinstance(st.get(n), float) else str(st.get(n))
                for n in names) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
