"""Stage 8, proof: the PDF read back (words with their boxes) and checked against the .docx it was made from."""
