"""Counts of lists that grow without bound (history tabs, the summaries queue, the admin
changelist): exact up to a bound, beyond it the PostgreSQL planner's estimate (table
statistics kept by ANALYZE, no scan), so no page counts a million rows to show a number
(issue 16). Pages say "about N" when a count is an estimate."""

import json

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Counted exactly up to this many rows: a range of 2,000 index entries is a few ms (10,000
# took 40 ms for the summaries queue at 1M, each row joined to its category).
EXACT_UP_TO = 2_000


def planner_rows(queryset):
    """The planner's estimate of the rows of `queryset` (PostgreSQL), or None elsewhere.
    The top node's estimate is the whole result's, whatever the plan's shape (parallel
    plans included)."""
    return planner_rows_many([queryset])[0]


def planner_rows_many(querysets):
    """planner_rows of several querysets in one round trip (one EXPLAIN per queryset sent
    together: psycopg's client-side binding, Django's default, allows several statements),
    [None, …] elsewhere."""
    if connection.vendor != "postgresql":
        return [None] * len(querysets)
    statements, params = [], []
    for queryset in querysets:
        sql, sql_params = queryset.order_by().query.sql_with_params()
        statements.append("EXPLAIN (FORMAT JSON) " + sql)
        params.extend(sql_params)
    found = []
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), params)
        while True:
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            found.append(int(plan[0]["Plan"]["Plan Rows"]))
            if not cursor.nextset():
                break
    return found


def bounded_count(queryset, exact_up_to=None):
    """(count, estimated): exact when at most `exact_up_to` rows match (counted over a
    LIMIT, so the scan stops there), else the planner's estimate (never below the bound);
    exact where there is no planner to ask (SQLite)."""
    exact_up_to = EXACT_UP_TO if exact_up_to is None else exact_up_to
    found = queryset.order_by().values("pk")[:exact_up_to + 1].count()
    if found <= exact_up_to:
        return found, False
    guess = planner_rows(queryset)
    if guess is None:
        return queryset.count(), False
    return max(guess, found), True


class EstimatedPaginator(Paginator):
    """A paginator whose count is bounded_count's: `estimated` says when it is a guess."""

    estimated = False

    @cached_property
    def count(self):
        n, self.estimated = bounded_count(self.object_list)
        return n
