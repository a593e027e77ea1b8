"""Stage 1, content: reading a content folder (YAML with line numbers, paths kept inside it, budgets)
into the typed, validated model; the nomenclature reference; workbooks and attached PDFs measured before use."""
