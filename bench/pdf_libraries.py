"""What reading a plan's PDF costs with each library ingest could use, in a fresh process:

    python bench/pdf_libraries.py pdfplumber PLAN.pdf   # characters, ruled tables and body lines
    python bench/pdf_libraries.py pdfminer PLAN.pdf     # pdfminer.six's layout analysis alone

pdfplumber is built on pdfminer.six: both spend most of the time interpreting the pages'
characters. pdfminer.six's layout gives text boxes but no table cells, which ingest would then
have to rebuild from positions; pdfplumber finds the cells from the table's ruling lines. run.py
measures both on the PDF LibreOffice prints from the 60-row .docx.
"""

from __future__ import annotations

import sys


def with_pdfplumber(path: str) -> int:
    import pdfplumber

    rows = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows += sum(len(table.extract()) for table in page.find_tables())
            page.extract_text_lines()
    return rows


def with_pdfminer(path: str) -> int:
    from pdfminer.high_level import extract_pages

    return sum(1 for page in extract_pages(path) for _ in page)


if __name__ == "__main__":
    library, pdf = sys.argv[1:3]
    print({"pdfplumber": with_pdfplumber, "pdfminer": with_pdfminer}[library](pdf))
