"""Exports of the registry to files: Excel workbook, CSV, JSON and SQLite."""
