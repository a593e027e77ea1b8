"""Stage 10, workflows: the entry points the CLI (and the web workspace) call — build, renja, check,
import-xlsx, perubahan, migrasi-kode, init. Each reads content, runs the stages, and writes atomically."""
