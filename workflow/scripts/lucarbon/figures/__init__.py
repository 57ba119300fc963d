"""Stage 5, figures: shared style, maps and class breaks, figure text in English or Chinese, and
the figures of each stage."""
