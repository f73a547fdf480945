"""Exports of the registry to files: Excel workbook, CSV, JSON, SQLite and the iCalendar feed (ics.py)."""
