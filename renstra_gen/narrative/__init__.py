"""Stage 2, narrative: Markdown through sandboxed Jinja2 into render-neutral blocks, and indicator formulas."""
