"""Stage 6, compose: the Renstra and Renja plans (numbered tables and figures per BAB, rendered narrative),
and the change list between two plans."""
