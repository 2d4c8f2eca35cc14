"""Benchmark make-report against WeasyPrint's own floor and LibreOffice.

    make bench                      # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --sizes 14,100 --runs 3      # a quick look
    .venv/bin/python bench/run.py --stages                      # + in-process stage times

For plans of 14 (the sample input/action_plan.xlsx), 100, 1,000 and 5,000
actions it measures, as whole processes (wall time: median of several runs;
peak memory: the child's max RSS from wait4(2)):

- make-report with all formats, docx only and pdf only;
- the floor: ``python -c "import weasyprint; weasyprint.HTML(string='<p>x</p>').write_pdf()"``
  in the same interpreter/venv;
- LibreOffice headless converting our own .docx of the same plan to PDF
  (warmed once first, so creating its profile is not timed).

It also checks every size's PDF (header row on every page of the action
tables, bookmarks, "Page X of Y") and that two runs give the same bytes, and
that the docx-only path never imports WeasyPrint. Results are printed and
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
FLOOR_CODE = "import weasyprint; weasyprint.HTML(string='<p>x</p>').write_pdf()"

# The content floor: what WeasyPrint alone needs for the same text. The
# report's own HTML, with our stylesheet, fonts and colours replaced by a bare
# one (A4, the same margins, 9 pt Liberation Sans, fixed table layout with the
# action tables' column widths, plain borders) and no tagging, written by stock
# WeasyPrint with none of our changes. Whatever make-report does beyond this
# is ours; this much is the engine's.
BARE_CSS = (
    "@page { size: A4; margin: 22mm 16mm 24mm 16mm } "
    "html { font-family: 'Liberation Sans'; font-size: 9pt; line-height: 1.35 } "
    "p { margin: 0 } table { table-layout: fixed; width: 100%; border-collapse: collapse } "
    "td, th { border: 1px solid black; padding: 1.5mm 1.8mm; vertical-align: top } "
    # The action tables' column widths, as in report.css, so the text wraps alike.
    "col.c-action, col.c-comments { width: 30% } col.c-owner { width: 15% } "
    "col.c-date { width: 12% } col.c-rag { width: 13% }"
)
CONTENT_FLOOR_CODE = f"""
import re, sys
import weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
html = re.sub(r'<link rel="stylesheet"[^>]*>', '', html)
html = re.sub(r'<style>.*?</style>', '<style>' + {BARE_CSS!r} + '</style>', html, flags=re.S)
document = weasyprint.HTML(string=html).render()
document.write_pdf()
print(len(document.pages))
"""
HTML_CODE = """
import sys
from pathlib import Path
from wfs_reports import pipeline, render_pdf
from wfs_reports.context import build_context
from wfs_reports.reader import read_workbook
from wfs_reports.resources import load_templates
src = pipeline.load_source(Path(sys.argv[1])); tpl = load_templates(None)
plan = read_workbook(src.data, src.name); as_at = plan.settings.as_at
ctx = build_context(plan, pipeline.judge(plan, as_at, tpl.rules), as_at=as_at,
    source_file=src.name, source_sha256=src.sha256, brand=tpl.brand, rules=tpl.rules)
folder = render_pdf.usable_template_dir(tpl.folder)
Path(sys.argv[2]).write_text(render_pdf.render_html(ctx, folder), encoding="utf-8")
"""

SIZES = (14, 100, 1000, 5000)
# Runs per size: fewer for the big plans, so the whole bench stays well under
# 15 minutes on a 2-core machine.
RUNS = {14: 7, 100: 5, 1000: 3, 5000: 1}
RECOMMENDATIONS = {100: 8, 1000: 12, 5000: 20}
# Up to this size, one more run renders the PDF in-process (no worker) and
# must give the same bytes.
IN_PROCESS_CHECK_MAX = 1000
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
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss_kb) / 1024 if self.rss_kb else None


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants now (kB; 0 if gone)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children", "rb") as children:
                todo.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_once(cmd: list[str], measure: Measure, timeout: float = 900,
             env: dict[str, str] | None = None) -> bool:
    """Run ``cmd``; record wall time and peak memory.

    Peak memory is the larger of the process's own max RSS (wait4; for a
    process tree that is the largest single process) and the largest sum of
    RSS over the whole tree seen by sampling every 50 ms. make-report runs
    WeasyPrint in a second process, so the sum is the honest figure (it counts
    shared libraries twice, so it errs high).
    """
    sample_tree = os.path.isdir("/proc")
    tree_peak = 0
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
                tree_peak = max(tree_peak, _tree_rss_kb(proc.pid))
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
    measure.rss_kb.append(max(usage.ru_maxrss, tree_peak))  # kB on Linux
    return True


def report_cmd(workbook: Path, out: Path, formats: str) -> list[str]:
    return [str(MAKE_REPORT), str(workbook), "--out", str(out), "--format", formats, "--quiet"]


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_cmd(soffice: str, profile: Path, docx: Path, out: Path) -> list[str]:
    return [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", "pdf", "--outdir", str(out), str(docx)]


# --------------------------------------------------------------------------
# Checks


def check_pdf(pdf: Path, expected_refs: list[int]) -> dict:
    """Header row on every action-table page, bookmarks, Page X of Y."""
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
    if reader.trailer["/Root"].get("/PageMode") != "/UseOutlines":
        problems.append("bookmarks pane not opened")
    rec_pages = [p for d, t, p in outline if d == 1 and t.startswith("Recommendation")]
    first_table_page = min(rec_pages) if rec_pages else total
    no_header = [i + 1 for i in range(first_table_page, total)
                 if not all(h in pages[i] for h in TABLE_HEADER)]
    if no_header:
        problems.append(f"no table header on pages {no_header[:10]}")
    bad_footer = [i + 1 for i, text in enumerate(pages) if f"Page {i + 1} of {total}" not in text]
    if bad_footer:
        problems.append(f"no 'Page X of {total}' on pages {bad_footer[:10]}")
    tagged = bool(reader.trailer["/Root"].get("/StructTreeRoot"))
    if not tagged:
        problems.append("not tagged")
    return {
        "pages": total,
        "table_pages": total - first_table_page,
        "bookmarks": len(outline),
        "problems": problems,
    }


def content_floor(workbook: Path, html: Path) -> dict:
    """Stock WeasyPrint alone on the report's HTML, bare (see CONTENT_FLOOR_CODE)."""
    made = subprocess.run([sys.executable, "-c", HTML_CODE, str(workbook), str(html)],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    if made.returncode != 0:
        return {"error": made.stderr.strip()[-300:]}
    measure = Measure()
    run_once([sys.executable, "-c", CONTENT_FLOOR_CODE, str(html)], measure)
    return {"measure": measure}


def check_docx_only_imports(workbook: Path, out: Path) -> str:
    """The docx-only path must not import WeasyPrint (it costs ~1 s)."""
    code = (
        "import sys; from wfs_reports.cli import main; "
        f"rc = main([{str(workbook)!r}, '--out', {str(out)!r}, '--format', 'docx', '--quiet']); "
        "print('weasyprint' in sys.modules, rc)"
    )
    # cwd: not the repo, so that the installed package is what runs (as for make-report).
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=out.parent)
    if result.returncode != 0:
        return f"could not check: {result.stderr.strip()[-200:]}"
    imported, rc = result.stdout.split()
    if rc != "0":
        return f"make-report failed (exit {rc})"
    return "WeasyPrint imported (should not be)" if imported == "True" else "not imported (good)"


def stage_times(workbook: Path, templates: Path | None = None) -> dict[str, float]:
    """In-process time of each stage (one run), to see where the time goes."""
    code = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from wfs_reports import pipeline
from wfs_reports.resources import load_templates
from wfs_reports.reader import read_workbook
from wfs_reports.context import build_context
t = {"import wfs_reports": time.perf_counter() - t0}
def lap(name, start):
    t[name] = time.perf_counter() - start
s = time.perf_counter(); src = pipeline.load_source(Path(sys.argv[1])); tpl = load_templates(None)
plan = read_workbook(src.data, src.name); lap("read workbook", s)
s = time.perf_counter()
as_at = plan.settings.as_at
ctx = build_context(plan, pipeline.judge(plan, as_at, tpl.rules), as_at=as_at,
    source_file=src.name, source_sha256=src.sha256, brand=tpl.brand, rules=tpl.rules)
lap("judge + context", s)
from wfs_reports.render_docx import render_docx
from wfs_reports.render_json import render_json
s = time.perf_counter(); render_docx(ctx, tpl.docx); lap("render docx", s)
s = time.perf_counter(); render_json(ctx); lap("render json", s)
from wfs_reports import render_pdf as rp
s = time.perf_counter(); rp.import_weasyprint(); lap("import weasyprint", s)
folder = rp.usable_template_dir(tpl.folder)
s = time.perf_counter(); html = rp.render_html(ctx, folder); lap("render html (jinja)", s)
s = time.perf_counter(); rp.pdf_from_html(html, folder); lap("html to pdf (WeasyPrint)", s)
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


def fmt_mb(m: Measure | None) -> str:
    if m is None:
        return "not installed"
    return f"{m.peak_mb:.0f}" if m.peak_mb is not None else "n/a"


def ratio(a: Measure | None, b: Measure | None) -> str:
    if a is None or b is None or a.median is None or b.median is None:
        return "n/a" if b is not None else "not installed"
    return f"{a.median / b.median:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated action counts; 14 = the sample workbook")
    parser.add_argument("--runs", type=int, help="runs per measurement (default: by size)")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage in-process (one extra run per size)")
    parser.add_argument("--no-soffice", action="store_true", help="skip LibreOffice")
    parser.add_argument("--content-floor", default="14,100,1000", metavar="SIZES",
                        help="sizes at which to time stock WeasyPrint alone on the report's "
                        "own HTML, bare (one run each; default 14,100,1000; '' for none)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    content_floor_sizes = {int(s) for s in args.content_floor.split(",") if s.strip()}

    if not MAKE_REPORT.exists():
        print(f"error: {MAKE_REPORT} not found; run 'make bench' (it installs the venv)",
              file=sys.stderr)
        return 2
    soffice = None if args.no_soffice else soffice_path()
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="wfs-bench-"))
    profile = work / "lo-profile"
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

        docx_imports = check_docx_only_imports(SAMPLE, work / "imports")

        for size in sizes:
            runs = args.runs or RUNS.get(size, 3)
            if size == 14:
                workbook = SAMPLE
            else:
                workbook = work / f"plan-{size}.xlsx"
                generate_workbook(workbook, size)
            m = {k: Measure() for k in ("all", "docx", "pdf", "floor")}
            m["soffice"] = Measure() if soffice else None
            outs = []
            print(f"\n== {size} actions, {runs} run(s) each", flush=True)
            for i in range(runs):
                # Interleaved, so that load on the machine hits every column alike.
                out = work / f"out-{size}-all-{i}"
                run_once(report_cmd(workbook, out, "docx,pdf,json"), m["all"])
                outs.append(out)
                run_once(report_cmd(workbook, work / f"out-{size}-docx", "docx"), m["docx"])
                run_once(report_cmd(workbook, work / f"out-{size}-pdf", "pdf"), m["pdf"])
                run_once([sys.executable, "-c", FLOOR_CODE], m["floor"])
                if soffice and outs[0].exists():
                    lo_out = work / f"lo-{size}"
                    run_once(soffice_cmd(soffice, profile, next(outs[0].glob("*.docx")),
                                         lo_out), m["soffice"])
                print("  run", i + 1, {k: f"{v.times[-1]:.2f}s" if v and v.times else
                                       (v.error if v else "not installed")
                                       for k, v in m.items()}, flush=True)
            row: dict = {"measures": m, "runs": runs}
            if m["all"].times:
                pdf = next(outs[0].glob("*.pdf"))
                refs = [r["ref"] for r in json.loads(next(outs[0].glob("*.json")).read_bytes())
                        ["recommendations"]]
                row["check"] = check_pdf(pdf, refs)
                row["actions"] = sum(
                    len(r["actions"]) for r in json.loads(next(outs[0].glob("*.json"))
                                                          .read_bytes())["recommendations"])
                if len(outs) > 1 and all(o.exists() for o in outs[:2]):
                    same = all(
                        (outs[0] / f.name).read_bytes() == (outs[1] / f.name).read_bytes()
                        for f in sorted(outs[0].iterdir()))
                    row["deterministic"] = "same bytes" if same else "DIFFERENT bytes"
                else:
                    row["deterministic"] = "not checked (one run)"
                if size <= IN_PROCESS_CHECK_MAX:
                    # The PDF worker must make the same bytes as rendering in-process.
                    inproc = work / f"out-{size}-inproc"
                    env = {**os.environ, "WFS_REPORTS_WORKER": "0"}
                    if run_once(report_cmd(workbook, inproc, "docx,pdf,json"), Measure(),
                                env=env):
                        same = all((outs[0] / f.name).read_bytes() == f.read_bytes()
                                   for f in sorted(inproc.iterdir()))
                        row["in_process"] = "same bytes" if same else "DIFFERENT bytes"
            if size in content_floor_sizes:
                row["content_floor"] = content_floor(workbook, work / f"plan-{size}.html")
            if args.stages:
                row["stages"] = stage_times(workbook)
            rows[size] = row
            print("  check:", row.get("check"), row.get("deterministic", ""),
                  row.get("in_process", ""), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = render_markdown(rows, soffice, docx_imports, time.perf_counter() - began)
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def render_markdown(rows: dict[int, dict], soffice: str | None, docx_imports: str,
                    elapsed: float) -> str:
    lines = [
        "# make-report benchmark",
        "",
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, "
        f"LibreOffice: {soffice or 'not installed'}; whole bench {elapsed / 60:.1f} min.",
        "",
        "Wall time in seconds, median of the runs (min–max in brackets); whole processes.",
        "",
        "| actions | runs | all formats | docx only | pdf only | floor | LibreOffice docx→pdf "
        "| all / floor | pdf / floor | all / LibreOffice | pdf / LibreOffice |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in rows.items():
        m = row["measures"]
        lines.append(
            f"| {size:,} | {row['runs']} | {fmt_s(m['all'])} | {fmt_s(m['docx'])} | "
            f"{fmt_s(m['pdf'])} | {fmt_s(m['floor'])} | {fmt_s(m['soffice'])} | "
            f"{ratio(m['all'], m['floor'])} | {ratio(m['pdf'], m['floor'])} | "
            f"{ratio(m['all'], m['soffice'])} | {ratio(m['pdf'], m['soffice'])} |"
        )
    lines += [
        "",
        "Peak memory (MB; the larger of max RSS and the process tree's summed RSS):",
        "",
        "| actions | all formats | docx only | pdf only | floor | LibreOffice |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in rows.items():
        m = row["measures"]
        lines.append(f"| {size:,} | {fmt_mb(m['all'])} | {fmt_mb(m['docx'])} | "
                     f"{fmt_mb(m['pdf'])} | {fmt_mb(m['floor'])} | {fmt_mb(m['soffice'])} |")
    if 1000 in rows and 5000 in rows:
        lines += ["", "Scaling, 5,000 / 1,000 actions: " + ", ".join(
            f"{name} {ratio(rows[5000]['measures'][name], rows[1000]['measures'][name])}"
            for name in ("all", "docx", "pdf", "soffice"))]
    lines += ["", "Checks:", "",
              "| actions | pages | bookmarks | header row, Page X of Y, tags | same bytes twice "
              "| worker = in-process |",
              "|---:|---:|---:|---|---|---|"]
    for size, row in rows.items():
        c = row.get("check")
        if not c:
            lines.append(f"| {size:,} | n/a | n/a | not checked (no PDF) | n/a | n/a |")
            continue
        verdict = "ok on every page" if not c["problems"] else "; ".join(c["problems"])
        lines.append(f"| {size:,} | {c['pages']} | {c['bookmarks']} | {verdict} | "
                     f"{row.get('deterministic', 'n/a')} | "
                     f"{row.get('in_process', 'not checked')} |")
    floors = {s: r["content_floor"] for s, r in rows.items() if "content_floor" in r}
    if floors:
        lines += ["", "Content floor: stock WeasyPrint alone on the report's own HTML, with a "
                  "bare stylesheet (A4, 9 pt Liberation Sans, fixed-layout tables with the action "
                  "tables' column widths, plain borders), no bundled fonts, no tags; whole "
                  "process, one run:", "",
                  "| actions | content floor | all formats | pdf only | LibreOffice docx→pdf "
                  "| content floor / LibreOffice | pdf / content floor | content floor, MB "
                  "| all formats, MB |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for size, floor in floors.items():
            m = rows[size]["measures"]
            cf = floor.get("measure")
            if cf is None:
                lines.append(f"| {size:,} | failed: {floor.get('error')} | | | | | | | |")
                continue
            lines.append(f"| {size:,} | {fmt_s(cf)} | {fmt_s(m['all'])} | {fmt_s(m['pdf'])} | "
                         f"{fmt_s(m['soffice'])} | {ratio(cf, m['soffice'])} | "
                         f"{ratio(m['pdf'], cf)} | {fmt_mb(cf)} | {fmt_mb(m['all'])} |")
    lines += ["", f"docx-only run: WeasyPrint {docx_imports}."]
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
