"""Stage 5: the risk rules. Each rule is a small pure function over the series, registered in ``registry``."""

from stridewise.risk.engine import at_or_above, evaluate, in_week
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import RULES, Rule, RuleInput

__all__ = ["RULES", "Evidence", "Flag", "Rule", "RuleInput", "Severity", "at_or_above", "evaluate", "in_week"]
