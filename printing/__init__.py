"""printing: what a recruiter prints and a citizen holds (see ../docs/printing.md).

geometry (named constants, points from the top-left), qr (payloads), layout
(pure page geometry and the layout map), typeface (embedded font, glyph
checks), render (reportlab drawing, one drawer per item type), texts (standard
wording), letters (letter packs), blank (anonymous copies), pdfjoin (streaming
many small PDFs into one). The batch run over the database is intake/mailing.py.
"""
