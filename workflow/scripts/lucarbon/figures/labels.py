"""Figure text in English or Chinese (config ``figures.language``).

Names of units, MFA classes and land-use types come from their tables (``name``/``name_zh``,
``name_en``/``name_zh``); the fixed words of the figures (titles, axes, zones, classes of
spatial statistics) are below.
"""

from __future__ import annotations

import re

import pandas as pd

LANGUAGES = ("en", "zh")

TEXT = {
    # quantities (by result column) and their display units
    "emission_tC": ("Carbon emission", "碳排放"),
    "absorption_tC": ("Carbon absorption", "碳吸收"),
    "net_emission_tC": ("Net carbon emission", "净碳排放"),
    "emission_intensity_gdp_tC_per_10k_yuan": ("Emission intensity per GDP", "单位GDP碳排放强度"),
    "emission_intensity_area_tC_per_ha": ("Emission intensity per area", "地均碳排放强度"),
    "value_yuan": ("Compensation value", "碳补偿价值"),
    "value_modified_yuan": ("Modified compensation value", "修正碳补偿价值"),
    "unit_10k_tC": ("10⁴ t C", "10⁴ t C"),
    "unit_tC_per_10k_yuan": ("t C per 10⁴ yuan", "t C/10⁴元"),
    "unit_tC_per_ha": ("t C per ha", "t C/hm²"),
    "unit_10k_yuan": ("10⁴ yuan", "10⁴元"),
    "unit_km2": ("km²", "km²"),
    "net_sink": ("< 0: net sink", "< 0：净碳汇"),
    "receives": ("< 0: receives", "< 0：受偿"),
    # axes and titles
    "year": ("Year", "年份"),
    "area": ("Area", "面积"),
    "change_since": ("Change since {year}", "相对{year}年的变化"),
    "landuse_composition": ("Land-use composition", "土地利用结构"),
    "landuse_transitions": ("Land-use transitions", "土地利用转移矩阵"),
    "from": ("From", "转出"),
    "to": ("To", "转入"),
    "unchanged": ("diagonal: unchanged area", "对角线：未变化面积"),
    "carbon_by_landuse": (
        "Carbon emission and absorption by land-use type",
        "各地类碳排放与碳吸收",
    ),
    "carbon_axis": (
        "Carbon (10⁴ t C); emission > 0, absorption < 0",
        "碳量（10⁴ t C）；排放>0，吸收<0",
    ),
    "net_line": ("Net emission", "净碳排放"),
    "peak": ("emission peak {year}", "排放峰值 {year}"),
    "mfa_title": ("Main functional area classes", "主体功能区"),
    "intensity_ratio": ("Emission intensity (ratio of sums)", "碳排放强度（总量之比）"),
    "mean_net": ("Mean net emission per unit", "单元平均净碳排放"),
    "unit_10k_tC_per_unit": ("10⁴ t C per unit", "10⁴ t C/单元"),
    "ecc": ("Economic contribution coefficient (ECC)", "经济贡献系数（ECC）"),
    "esc": ("Ecological support coefficient (ESC)", "生态承载系数（ESC）"),
    "ecc_esc_title": (
        "ECC and ESC per unit (threshold {threshold:g})",
        "经济贡献系数与生态承载系数（阈值 {threshold:g}）",
    ),
    "ecc_esc_zoning": ("ECC/ESC zoning", "经济贡献—生态承载分区"),
    "compensation_zoning": ("Horizontal carbon compensation zoning", "横向碳补偿分区"),
    "compensation_standard": (
        "Compensation standard per unit, {year}",
        "各单元碳补偿标准（{year}年）",
    ),
    "units_between": (
        "… {count} more units, {low} to {high}",
        "……其余{count}个单元，{low}至{high}",
    ),
    "zoning_by_mfa": ("Zones by main functional area class (units)", "各主体功能区的分区单元数"),
    "units_count": ("Units", "单元数"),
    "moran_title": ("Global Moran's I", "全局莫兰指数"),
    "moran_i": ("Moran's I", "莫兰指数 I"),
    "p_sim": ("Pseudo p-value ({permutations} permutations)", "伪p值（{permutations}次置换）"),
    "significance": ("significance {alpha:g}", "显著性水平 {alpha:g}"),
    "significant": ("filled: p ≤ {alpha:g}", "实心：p ≤ {alpha:g}"),
    "lisa_title": (
        "Local Moran's I clusters (LISA, p ≤ {alpha:g})",
        "局部莫兰指数聚类（LISA，p ≤ {alpha:g}）",
    ),
    "hotspot_title": ("Getis-Ord Gi* hot and cold spots", "Getis-Ord Gi* 冷热点"),
    "gravity_title": ("Centre of gravity and standard deviational ellipse", "重心与标准差椭圆"),
    "gravity_shift": ("Centre of gravity (zoom)", "重心迁移（放大）"),
    "easting": ("Easting (km)", "东向坐标（km）"),
    "northing": ("Northing (km)", "北向坐标（km）"),
    "sensitivity_kept": (
        "Stability under coefficient ranges (Monte Carlo)",
        "系数取值范围下的结论稳定性（蒙特卡洛）",
    ),
    "sensitivity_kept_axis": (
        "Monte Carlo draws keeping the baseline conclusion (%)",
        "保持基准结论的蒙特卡洛抽样（%）",
    ),
    "oat": ("One at a time", "单参数敏感性"),
    "oat_axis": ("Change of total net emission (%)", "总净碳排放变化（%）"),
    "low_value": ("low value", "低值"),
    "high_value": ("high value", "高值"),
    "zone_stability": ("Zone stability per unit and year", "单元分区稳定性"),
    "zone_stability_axis": ("Share of draws keeping the unit's zone", "保持原分区的抽样比例"),
    "unit_years": ("Unit-years", "单元-年"),
    "compensation_zone": ("compensation zone", "碳补偿分区"),
    "ecc_esc_zone": ("ECC/ESC zone", "经济贡献—生态承载分区"),
    "theil_title": ("Theil index: {indicator}", "{indicator}泰尔指数"),
    "theil_index": ("Theil index", "泰尔指数"),
    "between_classes": ("Between MFA classes", "主体功能区间差异"),
    "within_classes": ("Within MFA classes", "主体功能区内差异"),
    "indicator_gdp": ("{quantity} per GDP", "单位GDP{quantity}"),
    "indicator_population": ("{quantity} per capita", "人均{quantity}"),
    "indicator_land_area": ("{quantity} per area", "地均{quantity}"),
    "indicator_none": ("{quantity}", "{quantity}"),
    "unit_tC": ("t C", "t C"),
    "unit_tC_per_person": ("t C per person", "t C/人"),
    "density": ("Density", "核密度"),
    "kernel_density_title": ("Kernel density: {indicator}", "{indicator}核密度"),
    "development_zoning": ("Development-strategy zoning", "发展策略分区"),
    "structural_choices": (
        "Structural choices: alternatives keeping the conclusion (%)",
        "结构性选择：保持基准结论的备选方案（%）",
    ),
    "alternatives_kept_axis": ("Alternatives keeping it (%)", "保持结论的备选方案（%）"),
    "choice_runs": ("{name} (n = {runs})", "{name}（n = {runs}）"),
    "not_run": ("not run", "未运行"),
    "peak_year": ("Peak year of emissions", "碳排放峰值年份"),
    "intensity_ranking": ("MFA ranking by intensity", "主体功能区碳排放强度排序"),
    "net_ranking": ("MFA ranking by net emission", "主体功能区净碳排放排序"),
    "intensity_rank": ("Rank by intensity: {name}", "强度排序位次：{name}"),
    "net_rank": ("Rank by net emission: {name}", "净碳排放排序位次：{name}"),
    "compensation_zone_all_unit_years": ("Compensation zones kept", "碳补偿分区保持"),
    "ecc_esc_zone_all_unit_years": ("ECC/ESC zones kept", "经济贡献—生态承载分区保持"),
    # categories
    "low_carbon_maintenance": ("Low-carbon maintenance", "低碳保持区"),
    "economic_development": ("Economic development", "经济发展区"),
    "carbon_sink_function": ("Carbon-sink function", "碳汇功能区"),
    "high_carbon_optimisation": ("High-carbon optimisation", "高碳优化区"),
    "payment": ("Payment", "支付区"),
    "balanced": ("Balanced", "平衡区"),
    "receiving": ("Receiving", "受偿区"),
    "strong_payment": ("Strong payment", "重点支付区"),
    "weak_payment": ("Weak payment", "一般支付区"),
    "weak_receiving": ("Weak receiving", "一般受偿区"),
    "strong_receiving": ("Strong receiving", "重点受偿区"),
    "HH": ("High-High", "高-高"),
    "LL": ("Low-Low", "低-低"),
    "HL": ("High-Low", "高-低"),
    "LH": ("Low-High", "低-高"),
    "not_significant": ("Not significant", "不显著"),
    "no_neighbours": ("No neighbours", "无邻接单元"),
    "hot_99": ("Hot spot, 99 %", "热点（99%）"),
    "hot_95": ("Hot spot, 95 %", "热点（95%）"),
    "hot_90": ("Hot spot, 90 %", "热点（90%）"),
    "cold_90": ("Cold spot, 90 %", "冷点（90%）"),
    "cold_95": ("Cold spot, 95 %", "冷点（95%）"),
    "cold_99": ("Cold spot, 99 %", "冷点（99%）"),
}


# the carbon unit of the fixed texts ("t C"), as configured in reporting.carbon_unit
CARBON_UNIT_WORD = re.compile(r"\bt C\b")
CARBON_UNIT_TEXT = {"tC": "t C", "tCO2": "t CO₂"}


class Labels:
    """Text of one language: fixed words by key, names of units, classes and types by id."""

    def __init__(
        self,
        language: str,
        landuse: pd.DataFrame | None = None,
        mfa: pd.DataFrame | None = None,
        units: pd.DataFrame | None = None,
        carbon_unit: str = "tC",
    ):
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {LANGUAGES}")
        self.language = language
        self._index = LANGUAGES.index(language)
        self._carbon = CARBON_UNIT_TEXT[carbon_unit]
        self._names = {
            "landuse": _names(landuse, "landuse", "name_en", language),
            "mfa": _names(mfa, "mfa_class", "name_en", language),
            "unit": _names(units, "unit_id", "name", language),
        }

    def __call__(self, key: str, **values) -> str:
        """The fixed text ``key``, formatted with ``values``; unknown keys are returned as is."""
        pair = TEXT.get(key)
        text = pair[self._index] if pair else key
        text = CARBON_UNIT_WORD.sub(self._carbon, text) if pair else text
        return text.format(**values) if values else text

    def name(self, kind: str, key: str) -> str:
        """Name of a land-use type, MFA class or unit (``kind`` landuse, mfa, unit)."""
        return self._names[kind].get(key, key)


def _names(table: pd.DataFrame | None, key: str, english: str, language: str) -> dict[str, str]:
    """Key → name in ``language`` (the English name where the Chinese one is missing)."""
    if table is None:
        return {}
    names = table[english]
    if language == "zh" and "name_zh" in table:
        names = table["name_zh"].fillna(names)
    return dict(zip(table[key].astype(str), names.astype(str), strict=True))
