"""Derived numbers: program-tree sums, subtotals, ratios and growth. Renderers never compute these."""
