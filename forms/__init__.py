"""forms: the definition model, YAML loading, versions, XLSForm import, codebook, readability.

Pure: imports nothing of ours and no framework.
"""
