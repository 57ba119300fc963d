"""County land-use carbon budgets and horizontal carbon compensation (pure, testable logic).

Each module has one job; the Snakemake rule scripts in ``workflow/scripts`` only parse the
``snakemake`` object, call these functions and write outputs.
"""
