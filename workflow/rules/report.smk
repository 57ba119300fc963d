"""Helpers that mark rule outputs and inputs for `snakemake --report`, with one caption per
figure (workflow/report/figures/<name>.rst) and per table (workflow/report/tables/<file>.rst),
and the labels the report lists them by (workflow/report/labels.yaml)."""

REPORT_LABELS = read_yaml(ROOT / "workflow" / "report" / "labels.yaml")


def figure_outputs(category, *names):
    """Named outputs of a figure rule: <name> (PNG, in the report) and <name>_print."""
    outputs = {}
    for name in names:
        outputs[name] = report(
            f"{OUT}/figures/{name}.png",
            caption=f"../report/figures/{name}.rst",
            category=category,
            subcategory="Figures",
            labels={"figure": REPORT_LABELS["figures"][name]},
        )
        outputs[f"{name}_print"] = f"{OUT}/figures/{name}.{config['figures']['print_format']}"
    return outputs


def report_table(path, category):
    """A result table (produced by the rule, or read by a figure rule) shown in the report."""
    name = Path(path).name
    return report(
        path,
        caption=f"../report/tables/{name}.rst",
        category=category,
        subcategory="Tables",
        labels={"table": REPORT_LABELS["tables"][name], "file": name},
    )
