"""Printing: the PDF report, drawn with Qt from the export package's document."""
