"""Sources and advice, worded from ../shared/EVIDENCE.md (the seed articles and studies)."""

from __future__ import annotations

from typing import Final

SOURCE_FRANDSEN: Final = ("Frandsen et al., Br J Sports Med 2025;59(17):1203-1210 (5,205 runners): a run >10% longer "
                          "than the longest of the previous 30 days, HRR 1.64; >100%, HRR 2.28")
SOURCE_NIELSEN: Final = ("Nielsen et al., JOSPT 2014;44(10) (874 novices): >30% weekly progression, HR 1.59 "
                         "(0.96-2.66, p=.07); the '10% rule' is a convention")
SOURCE_ACWR: Final = ("Gabbett, BJSM 2016 (team sports); EWMA: Williams et al., BJSM 2017; critiques: Lolli et al. "
                      "BJSM 2019, Impellizzeri et al. 2020; in runners the relation was inverse (Nakaoka et al. 2021)")
SOURCE_DOWNHILL: Final = ("Gottschall & Kram, J Biomech 2005 (impact +54%, braking +73% at -9 deg); Bontemps et al., "
                          "Sports Med 2020 (least-adapted runners, most damage); no study gives a threshold")
SOURCE_SURFACE: Final = ("Seed articles (asphalt all year; road-to-trail switch); van der Worp et al., PLoS One 2015; "
                         "Taunton et al., BJSM 2003 found surface not significant")
SOURCE_SHOES: Final = ("The 300-500 miles retail/coaching figure; Verdejo & Mills 2004; Malisoux et al., "
                       "Scand J Med Sci Sports 2015: rotating pairs, HR 0.61")
SOURCE_RETURN: Final = ("van der Worp et al., PLoS One 2015;10(2):e0114937 (systematic review, 15 cohorts): "
                        "restarting running is a risk factor; no study gives a threshold for the first weeks back, the "
                        "severities copy the spike rule (Frandsen 2025)")
SOURCE_MONOTONY: Final = "Foster, Med Sci Sports Exerc 1998;30:1164-1168 (monotony); the 2.0 cut-off is coaching lore"

ADVICE_LOAD: Final = ("Build gradually: 3-4 running days a week and cross-training on the others; don't raise distance "
                      "or speed abruptly.")
ADVICE_DOWNHILL: Final = "Cut back steep descents while you adapt, and keep your core engaged on the way down."
ADVICE_SURFACE: Final = ("Mix in trails and tracks; after a switch of surface, build up on the new one gradually and "
                         "check that your shoes or insoles suit your pronation.")
ADVICE_SHOES: Final = "Replace the pair, and rotate two pairs."
# Below the pair's own replace distance the pair is not due yet: plan, don't replace.
ADVICE_SHOES_SOON: Final = "Plan a new pair before this one reaches its replace distance, and rotate two pairs."
ADVICE_REST: Final = "Take 2-3 days of recovery after hard efforts and include easy days."
ADVICE_ALWAYS: Final = ("Always: warm up, strengthen your core and hips, stretch hamstrings and hip flexors, and watch "
                        "your posture when sitting.")
