"""Renderers: the composed plan to .docx (and later .xlsx / .pdf). They compute no business numbers."""
