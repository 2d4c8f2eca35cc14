"""Write the sample action-plan workbook, input/action_plan.xlsx.

    python tools/build_sample_workbook.py [OUT]

The workbook is a faithful transcription of the reference "WFS Action Plan
Update" (shared/reference/wfs-action-plan-update.txt) in the input contract of
SPEC.md: sheets Report, Recommendations and Actions. Recommendation text,
Comments from Service, action text, owners and completion dates are copied
exactly as the reference writes them. Status, progress comments, the one
officer RAG override and the Last Updated dates are sample values, chosen so
that as at 22 November 2023 the report shows all three RAG colours, a
not-applicable note row, dates to be confirmed and one stale update.

The literals below ARE the workbook: edit them here, re-run the script, and
commit both. tests/test_sample_workbook.py checks the two agree. Output is
deterministic (fixed document properties and zip timestamps), so re-running
the script without changing the data gives the same file.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from wfs_reports.config import load_templates
from wfs_reports.workbook.contract import ACTION_COLUMNS, PLACEHOLDERS, headers
from wfs_reports.workbook.new_workbook import append_rows, blank_workbook, workbook_bytes

# --------------------------------------------------------------------------
# The data (reviewable source of the workbook)
# --------------------------------------------------------------------------

# Text the old Word template placed in empty comment cells; the reader treats
# it as empty. Kept on a few rows so the sample stays true to the reference.
PLACEHOLDER = PLACEHOLDERS[0]

REPORT_SETTINGS: list[tuple[str, object]] = [
    ("Title", "WFS Action Plan Update"),
    (
        "Heading",
        "Workforce Shortages Across the Health and Social Care Sector Action Plan Update",
    ),
    ("Organisation", "Tower Hamlets Together"),
    ("Meeting", "Tower Hamlets Together Board"),
    ("Meeting date", dt.date(2023, 12, 7)),
    ("As at", dt.date(2023, 11, 22)),
    ("Prepared by", "Workforce Programme Team, NHS North East London ICB"),
    ("Classification", "Open (Unrestricted)"),
]

# Recommendation 6's Comments from Service: four paragraphs, as in the reference.
R6_COMMENTS_FROM_SERVICE = "\n\n".join(
    [
        "The council has carried out policies to support individuals and families, especially "
        "those with lower income, and protect them from the cost-of-living crisis. These "
        "policies can benefit those in need, including key workers – for example, our social "
        "housing Allocations Scheme includes the provision to prioritise key workers and a "
        "small number of cases are accepted each year. The council has also identified "
        "strategic priorities in the strategic plan to prioritise our focus and resources for "
        "residents.",
        "Housing - Our strategic priorities are to work with developers and builders to deliver "
        "a minimum of 1,000 homes per year, tackle overcrowding, homelessness and rough "
        "sleeping among other critical housing priorities. We will encourage RPs and developers "
        "to promote Intermediate Housing products targeting and encouraging key workers to "
        "utilise this route to affordable home ownership.",
        "Council tax - As the Strategic Plan envisages, the council has frozen council tax for "
        "2023-24 and we have one of the lowest rates in London. The council also plan to "
        "continue to operate a 100% council tax support scheme. Any qualifying low-income "
        "households already receive assistance from the council's council tax reduction "
        "scheme. We will ensure that the information on the council tax support scheme is "
        "widely available.",
        "Parking - The council will be refreshing its existing parking enforcement plan in the "
        "next 12-18 months. As part of this work, it could be possible to consider how the "
        "council can support key workers who need to use their vehicles for work. However, "
        "that would need careful consideration, especially when there is severe parking "
        "stress in the borough (an average resident bays to permit ratio - 0.99) and poor air "
        "quality is a serious public health emergency.",
    ]
)

# (Ref, Recommendation, Comments from Service)
RECOMMENDATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "The Integrated Care Board (ICB) is recommended to collaborate with Tower Hamlets "
        "Together (THT) Board to develop robust and dynamic workforce intelligence for the "
        "health and care sector.",
        "",
    ),
    (
        2,
        "The ICB is recommended to collaborate with the THT Board (System) and the local "
        "authority's Health and Wellbeing Board (Place), to undertake investment in developing "
        "shared communications and ongoing engagement with the borough's residents",
        "",
    ),
    (
        3,
        "The ICB and LBTH is recommended to incorporate integration when planning, developing "
        "and implementing its health and care workforce strategy such as service, financial "
        "and workforce plans.",
        "",
    ),
    (
        4,
        "The ICB and THT Board to partner with the borough's wider Health and Care employer "
        "stakeholders to review and co-design job roles required to support the demand for "
        "health and care services.",
        "",
    ),
    (
        5,
        "The ICB and THT Board is recommended to partner up with LBTH's Education and Careers "
        "Service, Adult Social Care service, Primary Care commissioning and BARTS NHS to "
        "develop experiential learning opportunities for young people in secondary education.",
        "",
    ),
    (
        6,
        "London Borough of Tower Hamlets (LBTH) is recommended to incentivise key worker "
        "accommodation status, council tax reductions and parking provision for health and "
        "care professionals.",
        R6_COMMENTS_FROM_SERVICE,
    ),
    (
        7,
        "The ICB is recommended to work with the local Higher Education Institutions and "
        "develop grant top up funding streams that can support medicine students in the last "
        "two year of their study.",
        "",
    ),
    (
        8,
        "The ICB is recommended to collaborate with local FE and HE education institutions "
        "with a view to supporting investment for piloting Degree Apprenticeships, and T- "
        "level placements to help increase much needed capacity.",
        "",
    ),
    (
        9,
        "The ICB and LBTH is recommended to draw on international recruitment options to meet "
        "the immediate shortfall for health and care demand whilst developing its growth "
        "model from local labour for future demand.",
        "",
    ),
]

FRANCESCA = "Francesca Okosi – Chief People and Culture Officer"  # en dash, as written

# One dict per action, in report order. Keys map to the Actions sheet columns.
# action / owners / due are the reference's words; the rest are sample values.
ACTIONS: list[dict[str, object]] = [
    # Recommendation 1
    {
        "ref": 1,
        "action": "Stage 1: To develop a core data set and reporting template from existing "
        "available data sets (NHSE and Skills for Care) across health and care for discussion.",
        "owners": FRANCESCA,
        "due": "Stage 1: Q4 2023-24 Stage 2: TBC",
        "status": "In progress",
        "comments": "Draft core data set pulled together from NHSE workforce statistics and "
        "the Skills for Care dataset. Reporting template to go to THT partners for discussion "
        "in January 2024.",
        "last_updated": dt.date(2023, 11, 14),
    },
    {
        "ref": 1,
        "action": "Stage 2: To develop a system-wide high-level data set to be provided at "
        "Place level. This piece of work is to be part of an agreed uniform approach by all "
        "partners within Northeast London (NEL) and will be led from Q3 in 2023-24 by the "
        "newly created role of Head of ICS Workforce Planning and Systems following our ICB "
        "internal restructure",
        "owners": "Head of ICS Workforce Planning and Systems",
        "due": "TBC",
        "status": "Not started",
        "comments": "Head of ICS Workforce Planning and Systems post is out to recruitment. "
        "Timescale to be agreed once the postholder is in place.",
        "last_updated": dt.date(2023, 11, 14),
    },
    # Recommendation 2
    {
        "ref": 2,
        "action": "As part of our ongoing careers ambassador programme across the ICS hosted "
        "by Care City to link in and also promote Tower Hamlets' engagement and to support "
        "local activity",
        "owners": FRANCESCA,
        "due": "Ongoing",
        "status": "In progress",
        "comments": "Care City careers ambassadors attended two Tower Hamlets school careers "
        "events in October. Looking to add local ambassadors from primary care.",
        "last_updated": dt.date(2023, 11, 2),
    },
    # Recommendation 3
    {
        "ref": 3,
        "action": "ICB to ensure place representation in developing our integrated workforce "
        "strategy and forward plan.",
        "owners": "Francesca Okosi - Chief People and Culture Officer",  # hyphen, as written
        "due": "Q2 and Q3 2023-24",
        "status": "Completed",
        "comments": "Tower Hamlets place leads took part in the strategy workshops and place "
        "priorities are reflected in the draft integrated workforce strategy.",
        "last_updated": dt.date(2023, 11, 8),
    },
    {
        "ref": 3,
        "action": "For overall planning ICB developing with all partners an approach to the "
        "planning cycle with an initial workshop in July to start to co-design the process.",
        "owners": "Joanna Moss, Chief Strategy and Transformation Officer",
        "due": "Q4 2023-24",
        "status": "In progress",
        "comments": "Initial workshop held in July. Draft planning timetable shared with "
        "partners; second workshop booked for January.",
        "last_updated": dt.date(2023, 10, 26),
    },
    # Recommendation 4
    {
        "ref": 4,
        "action": "The ICB to share good practice in this area. THT to determine the co-design "
        "process and agree this as part of service development and specifications",
        "owners": "TBC",
        "due": "Ongoing",
        "status": "Not started",
        "comments": PLACEHOLDER,
        # Older than 90 days before 22/11/2023: shows as a stale update.
        "last_updated": dt.date(2023, 8, 10),
    },
    # Recommendation 5
    {
        "ref": 5,
        "action": "The ICB to foster support for this initiative by engaging with Barts Health "
        "to access existing programmes and work with the Tower Hamlets training hub to "
        "develop the offer in Primary Care.\n\n"
        "To feed in and make connections across NEL through the Building and Accessing "
        "Careers Group to share and implement good practice and where appropriate partner up.",
        "owners": FRANCESCA,
        "due": "Ongoing",
        "status": "In progress",
        "comments": "Met Barts Health work experience team in October. Training hub is "
        "scoping a primary care work experience offer for Year 12 students.",
        "last_updated": dt.date(2023, 10, 30),
    },
    # Recommendation 6
    {
        "ref": 6,
        "action": "Encourage developers and RPs to promote more widely any intermediate "
        "housing schemes among key workers (through discussion and meetings held with "
        "developers and RPs).",
        "owners": "Rupert Brandon",
        "due": "March 2024",
        "status": "In progress",
        "comments": "Developers and RPs are encouraged to use the Council's Intermediate "
        "Housing Register of Interest that is open to all workers either living in the "
        "borough or have worked in Tower Hamlets for at least six months. They do not have to "
        "be on the Council's main housing register (permanent affordable rented homes). "
        "However, on the main register there is a category for key workers to be banded.",
        "last_updated": dt.date(2023, 11, 10),
    },
    {
        "ref": 6,
        "action": "Ensure that information related to the council's Council Tax Reduction "
        "Scheme is updated and widely available to all residents, including those key "
        "workers who may be on low incomes",
        "owners": "Chris Boylett",
        "due": "March 2024",
        "status": "Completed",
        "comments": "Council Tax Reduction Scheme web pages updated in October and the "
        "information shared with THT partners to circulate to staff.",
        "last_updated": dt.date(2023, 11, 1),
    },
    {
        "ref": 6,
        "action": "Consider the feasibility of introducing reduced parking fees for health and "
        "care professionals as part of the parking enforcement plan, including benchmarking "
        "other local authority's approach.",
        "owners": "Michael Darby",
        "due": "March 2024",
        "status": "Not started",
        "comments": PLACEHOLDER,
        "last_updated": dt.date(2023, 10, 18),
    },
    {
        "ref": 6,
        "action": "Not applicable for the ICB but would want to support and share the "
        "development of incentives to other places across the ICB",
        "owners": "",
        "due": "",
        "status": "Not applicable",
        "comments": "",
        "last_updated": None,
    },
    # Recommendation 7
    {
        "ref": 7,
        "action": "The ICB to broker a conversation between Barts Health and Queen Mary "
        "University London to explore options",
        "owners": FRANCESCA,
        "due": "Q3 2023-24",
        "status": "In progress",
        "comments": "Initial contact made with QMUL. Joint meeting with Barts Health "
        "postponed twice; no new date agreed yet.",
        "rag_override": "Missed target requires action",
        "override_reason": "The Barts Health and QMUL meeting has slipped and will not take "
        "place before the end of Q3 2023-24. Needs escalating to agree a new date.",
        "last_updated": dt.date(2023, 11, 20),
    },
    # Recommendation 8
    {
        "ref": 8,
        "action": "The ICB has won a bid with the Department of Education hosted by Barking "
        "Havering and Redbridge to employ a T Level co-ordinator for 22 months that will "
        "support Education and employers to increase capacity and develop any investment "
        "requirements to meet placement capacity across health and social care employers.\n\n"
        "For degree apprentices to build on existing progress identifying barriers and local "
        "solutions to support degree take up through direct entry courses and employer-led "
        "apprentice schemes",
        "owners": FRANCESCA,
        "due": "Q2 -2024-25 to increase placements",
        "status": "In progress",
        "comments": "T Level co-ordinator started in October and is mapping current placement "
        "capacity with employers.",
        "last_updated": dt.date(2023, 11, 6),
    },
    # Recommendation 9
    {
        "ref": 9,
        "action": "ICB to link into existing programmes from Capital Nurse and Social Care to "
        "share learning",
        "owners": FRANCESCA,
        "due": "TBC",
        "status": "Not started",
        "comments": PLACEHOLDER,
        "last_updated": dt.date(2023, 10, 24),
    },
]

# --------------------------------------------------------------------------
# Workbook layout: the same as `make-report --new-workbook` gives officers
# --------------------------------------------------------------------------

# Fixed timestamps so the same data always gives the same file.
FIXED_TIMESTAMP = dt.datetime(2023, 11, 22, 9, 0, 0)

# Key in ACTIONS for each Actions column, in the template's column order.
ACTION_KEYS = {
    "Ref": "ref",
    "Action": "action",
    "Owner(s)": "owners",
    "Completion Date": "due",
    "Status": "status",
    "Comments": "comments",
    "RAG Override": "rag_override",
    "Override Reason": "override_reason",
    "Last Updated": "last_updated",
}


def build_workbook() -> Workbook:
    wb = blank_workbook(load_templates(None).rules)  # the bundled rules' words
    values = dict(REPORT_SETTINGS)
    for name_cell, value_cell in wb["Report"].iter_rows(min_row=2, max_col=2):
        value_cell.value = values.pop(name_cell.value, None)
        if isinstance(value_cell.value, dt.date):
            value_cell.number_format = "dd/mm/yyyy"
    assert not values, f"settings the template does not list: {values}"
    append_rows(wb["Recommendations"], RECOMMENDATIONS)
    append_rows(
        wb["Actions"],
        [[action.get(ACTION_KEYS[header]) for header in headers(ACTION_COLUMNS)]
         for action in ACTIONS],
    )
    wb.properties.title = "WFS Action Plan Update - sample action plan"
    return wb


def write(out: Path) -> None:
    """Write the workbook to ``out`` atomically (no half-written file on failure)."""
    data = workbook_bytes(build_workbook(), FIXED_TIMESTAMP)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".action_plan-", suffix=".xlsx", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python tools/build_sample_workbook.py [OUT]", file=sys.stderr)
        return 2
    out = Path(args[0]) if args else Path("input") / "action_plan.xlsx"
    write(out)
    print(f"Wrote {out} ({len(RECOMMENDATIONS)} recommendations, {len(ACTIONS)} actions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
