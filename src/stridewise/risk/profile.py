"""The runner's own risk factors (``[runner]`` in the config), as context in the articles' words.

EVIDENCE.md, "previous injury / experience (runner profile)": context when the runner says so; no multiplier.
Nothing here changes a threshold or makes a flag: the sentences sit beside the flags, and say what they are not.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from stridewise.config import RunnerProfile

# The seed articles name being over 50 among the triggers of back pain (convention: no study gives an age).
OVER_AGE: Final = 50
# van der Worp et al., PLoS One 2015: 0-2 years of running experience is among the risk factors (weak).
BEGINNER_YEARS: Final = 2.0
# Maselli et al., BMC Musculoskelet Disord 2020: more than 6 years of running, a risk factor for low-back pain.
LONG_RUNNING_YEARS: Final = 6.0

PREVIOUS_INJURY_EVIDENCE: Final = ("cohort: in systematic reviews of cohort studies a previous injury is the most "
                                   "consistent risk factor for a new running injury (van der Worp et al., PLoS One "
                                   "2015; Saragiotto et al., Sports Med 2014)")
NOT_A_DIAGNOSIS: Final = ("This is context from what you wrote in [runner], not a diagnosis; no threshold of the "
                          "rules above changes because of it.")


def profile_context(profile: RunnerProfile, on: date) -> list[str]:
    """One sentence per factor the runner named, then the disclaimer; empty when nothing applies."""
    lines = []
    if profile.birth_year is not None and on.year - profile.birth_year > OVER_AGE:
        lines.append(f"You are over {OVER_AGE}: the articles behind this report name being over {OVER_AGE} among "
                     "the triggers of back pain in runners (convention: no study gives an age threshold).")
    if profile.previous_back_pain:
        lines.append("You have had back pain before: the articles name previous back pain among its triggers "
                     f"(convention), and a previous injury of any kind matters ({PREVIOUS_INJURY_EVIDENCE}).")
    if profile.previous_running_injury:
        lines.append(f"You have had a running injury before ({PREVIOUS_INJURY_EVIDENCE}).")
    if profile.years_running is not None and profile.years_running < BEGINNER_YEARS:
        lines.append(f"You have run for less than {BEGINNER_YEARS:g} years: beginners and returning runners are "
                     "among those at risk; 0-2 years of experience is a risk factor in a systematic review (weak: "
                     "van der Worp et al., PLoS One 2015). Build up gradually.")
    if profile.years_running is not None and profile.years_running > LONG_RUNNING_YEARS:
        lines.append(f"You have run for more than {LONG_RUNNING_YEARS:g} years: in one study that was a risk factor "
                     "for low-back pain in runners, which was uncommon overall (weak: Maselli et al., BMC "
                     "Musculoskelet Disord 2020).")
    return [*lines, NOT_A_DIAGNOSIS] if lines else []
