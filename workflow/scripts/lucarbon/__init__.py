"""County land-use carbon budgets and horizontal carbon compensation (pure, testable logic).

The subpackages follow the workflow's stages: ``acquire`` and ``units`` (inputs and study
units), ``raster`` (land cover to per-unit land-use areas and transitions), ``model`` (carbon
budget, compensation, zoning, sensitivity), ``analysis`` (main functional areas, regional
differences, spatial statistics) and ``figures``; ``core`` and ``config`` serve them all.
Each module has one job; the Snakemake rule scripts in ``workflow/scripts`` only parse the
``snakemake`` object, call these functions and write outputs.
"""
