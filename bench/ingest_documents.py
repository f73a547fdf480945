"""The 60-row plan documents the bench ingests: the shipped 2024 registry printed back as the
bureaus circulate a plan (a .docx with python-docx, its PDF by LibreOffice, the table alone as
an .xlsx, the text with wrapped cells), with the writers the tests use (tests/importing/plan2025.py).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def plan_from_registry(registry: Path, rows: int = 60):
    """The registry's plan as a PlanText of `rows` table rows (its items, repeated to fill)."""
    sys.path.insert(0, str(ROOT))
    from tests.importing.plan2025 import PlanText

    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    plan, sections = data["plan"], data["sections"]
    issued = plan["issued"]
    body = [plan["doc_number"], plan["issuer"], f"({plan['issuer_seal']})", f"{issued.year} 年 {issued.month} 月 {issued.day} 日",
            plan["title"], plan["preamble"], "一、指导思想", plan["guiding_principles"], "二、主要任务"]
    for section in sections:
        body.append(f"{section['label']}{section['title']}")
        body += [f"{t['number']}. {t['text']}" for t in data["tasks"] if t["section"] == section["number"]]
    body += ["三、组织保障", *(f"{s['label']}{s['title']}。{s['text']}" for s in plan["safeguards"]), "附件：合作事项清单"]
    items = (data["items"] * (rows // len(data["items"]) + 1))[:rows]
    table = sorted(((item["section"], str(n), item["title"], item["measures"],
                     item.get("departments_text") or "、".join(item["departments"]), "、".join(item["leads"]))
                    for n, item in enumerate(items, start=1)), key=lambda row: row[0])
    labels = [(s["label"].strip("（）"), s["title"]) for s in sections]
    return PlanText(body=body, sections=labels, rows=table, note="注：按责任分工推进。",
                    table_title=f"{plan['title']}合作事项清单")


def write_documents(registry: Path, folder: Path) -> dict[str, Path]:
    """{".txt": …, ".docx": …, ".xlsx": …, ".pdf": … (when LibreOffice is installed)}."""
    sys.path.insert(0, str(ROOT))
    from tests.importing import plan2025

    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_from_registry(registry)
    documents = {".txt": plan2025.write_wrapped_text(folder / "plan60.txt", plan),
                 ".docx": plan2025.write_docx(folder / "plan60.docx", plan),
                 ".xlsx": plan2025.write_xlsx(folder / "plan60.xlsx", plan)}
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        documents[".pdf"] = plan2025.write_pdf(documents[".docx"], folder, soffice)
    return documents
