"""The public metrics, computed once for pages, JSON and CSV alike: periods (periods),
reading the rollups (reads), the figures (figures). This package module names what the
rest of the project uses."""

from .figures import (DEFINITIONS, DURATION_FIGURES, LEAGUE_SORTS, min_rank_count, sort_league, summary,
                      unit_rows, weekly)
from .periods import (PERIODS, BadParameter, Period, day_range, month_end, month_split, parse_period,
                      parse_unit, period_buckets, today, with_open_end)
from .reads import counts, histograms, open_past_due, snapshot

__all__ = ["DEFINITIONS", "DURATION_FIGURES", "LEAGUE_SORTS", "PERIODS", "BadParameter", "Period", "counts",
           "day_range", "histograms", "min_rank_count", "month_end", "month_split", "open_past_due",
           "parse_period", "parse_unit", "period_buckets", "snapshot", "sort_league", "summary", "today",
           "unit_rows", "weekly", "with_open_end"]
