"""How tests/data/officer_edited_resaved_by_calc.xlsx was made.

This edits a copy of the sample the way an officer would (synonym and
upper-case headers, reordered columns, an extra column, blank rows, refs
written five ways, a placeholder comment, an Alt+Enter line break), then
LibreOffice Calc re-saved it:

    python tests/data/make_officer_edited.py edited.xlsx
    soffice --headless --convert-to "xlsx:Calc MS Excel 2007 XML" --outdir resaved edited.xlsx

Calc cannot run in CI, so the re-saved file is kept in tests/data.
"""

from __future__ import annotations

import sys

import openpyxl

SYNONYMS = {"Ref": "Rec No", "Owner(s)": "lead", "Completion Date": "Due date",
            "Comments": "Progress update", "Last Updated": "updated"}
ORDER = [2, 0, 1, 3, 5, 4, 6, 7, 8]  # Owner(s) first, Comments before Status
REF_SPELLINGS = ["R{}", "Rec {}", "Recommendation {}", "{}.0", "{}"]


def main(target: str) -> None:
    sample = openpyxl.load_workbook("input/action_plan.xlsx")
    edited = openpyxl.Workbook()
    edited.remove(edited.active)
    for name in sample.sheetnames:
        if name != "Actions":
            copy = edited.create_sheet(name)
            for row in sample[name].iter_rows(values_only=True):
                copy.append(list(row))
    rows = [list(r) for r in sample["Actions"].iter_rows(values_only=True)]
    header = rows[0]
    actions = edited.create_sheet(" actions ")
    actions.append(["Notes (ignore)"]
                   + [SYNONYMS.get(header[i], header[i]).upper() + "  " for i in ORDER])
    for k, row in enumerate(rows[1:]):
        if row[0] is not None:
            row[0] = REF_SPELLINGS[k % 5].format(int(row[0]))
        if k == 3:
            row[5] = "Insert any relevant comments"
        if k == 4:
            row[5] = "Line one\nLine two"
        actions.append(["scratch"] + [row[i] for i in ORDER])
        if k % 4 == 1:
            actions.append([None] * 10)
    edited.save(target)


if __name__ == "__main__":
    main(sys.argv[1])
