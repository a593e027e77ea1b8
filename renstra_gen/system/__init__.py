"""Ground floor: operating-system services any stage may use — all-or-nothing writes and the
recovery journal, one call in a forked child, the per-user cache."""
