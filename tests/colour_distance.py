"""Perceptual colour differences for tests of the figure palettes, written out from their
published definitions so that nothing of the code under test computes them:

- sRGB (IEC 61966-2-1) to CIE XYZ (D65) to CIELAB;
- CIEDE2000 colour difference ΔE00 (CIE 142-2001), as given step by step by Sharma, Wu &
  Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes, supplementary
  test data, and mathematical observations", Color Res. Appl. 30(1):21–30, whose test pairs
  tests/test_colours.py checks;
- simulated dichromacy (protanopia, deuteranopia, tritanopia) by the severity-1 matrices of
  Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
  color vision deficiency", IEEE TVCG 15(6):1291–1298, applied to linear RGB.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb

# sRGB (linear) → XYZ, D65 white (IEC 61966-2-1), and the D65 white point (Y = 1).
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
WHITE_D65 = SRGB_TO_XYZ @ np.ones(3)
MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def linear_rgb(colour) -> np.ndarray:
    """A matplotlib colour (e.g. '#D55E00') as linear sRGB in [0, 1]."""
    c = np.array(to_rgb(colour))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear sRGB triple."""
    xyz = SRGB_TO_XYZ @ np.clip(rgb_linear, 0.0, 1.0) / WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def simulate(colour, deficiency: str | None = None) -> tuple[float, float, float]:
    """CIELAB of ``colour`` as seen with normal vision (None) or the given dichromacy."""
    rgb = linear_rgb(colour)
    return lab(rgb if deficiency is None else MACHADO_2009[deficiency] @ rgb)


def ciede2000(lab1, lab2) -> float:
    """ΔE00 between two CIELAB colours (kL = kC = kH = 1), Sharma et al. (2005) eqs. 1–22."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_bar - 30))
        + 0.24 * math.cos(math.radians(2 * hp_bar))
        + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
        - 0.20 * math.cos(math.radians(4 * hp_bar - 63))
    )
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dlp / s_l) ** 2
        + (dcp / s_c) ** 2
        + (dhp_big / s_h) ** 2
        + r_t * (dcp / s_c) * (dhp_big / s_h)
    )


def colour_difference(c1, c2, deficiency: str | None = None) -> float:
    """ΔE00 between two matplotlib colours, as seen with normal vision or a dichromacy."""
    return ciede2000(simulate(c1, deficiency), simulate(c2, deficiency))
