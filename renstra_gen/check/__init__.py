"""Stage 5, check: every consistency finding over the loaded content and its laid-out tables, the
nomenclature checks, and the baseline of known findings."""
