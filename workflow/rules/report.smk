"""Helpers that mark rule outputs and inputs for `snakemake --report`, with one caption per
figure (workflow/report/figures/<name>.rst) and per table (workflow/report/tables/<file>.rst)."""


def figure_outputs(category, *names):
    """Named outputs of a figure rule: <name> (PNG, in the report) and <name>_print."""
    outputs = {}
    for name in names:
        outputs[name] = report(
            f"{OUT}/figures/{name}.png",
            caption=f"../report/figures/{name}.rst",
            category=category,
            subcategory="Figures",
        )
        outputs[f"{name}_print"] = f"{OUT}/figures/{name}.{config['figures']['print_format']}"
    return outputs


def report_table(path, category):
    """A result table (produced by the rule, or read by a figure rule) shown in the report."""
    caption = f"../report/tables/{Path(path).name}.rst"
    return report(path, caption=caption, category=category, subcategory="Tables")
