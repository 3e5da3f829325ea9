"""The one overdue rule (complaints.lifecycle.clock), tabulated over every state: the query
filter (staff lists, SLA sweep), the Python check (complaint page) and the SQL condition
(public dashboard) agree with each other and with the table below, which is the rule as the
metric definitions state it."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from complaints.lifecycle.clock import SLA_STEPS, is_overdue, overdue_q, overdue_sql
from complaints.lifecycle.states import State
from complaints.models import Complaint

from ..conftest import submit

# In which states each step's clock runs (waiting for the citizen pauses every clock; a
# resolved or ended complaint is overdue on nothing).
RUNS = {
    "triage": {State.SUBMITTED},
    "response": {State.TRIAGED, State.IN_PROGRESS},
    "resolution": {State.TRIAGED, State.IN_PROGRESS},
}


def test_the_table_names_every_step():
    assert set(RUNS) == {step.name for step in SLA_STEPS}


@pytest.mark.parametrize("state", list(State))
def test_every_state_against_every_step_in_all_three_forms(city, state):
    now = timezone.now()
    past, future = now - dt.timedelta(days=1), now + dt.timedelta(days=1)
    complaint = submit(city).complaint
    for step in SLA_STEPS:
        for due, done, label in ((past, None, "due passed, not done"), (future, None, "not yet due"),
                                 (past, past, "done late"), (None, None, "no due date")):
            # The state is protected; a table test sets the row directly, as a restore would.
            Complaint.objects.filter(pk=complaint.pk).update(state=state, **{step.due: due, step.done: done})
            row = Complaint.objects.get(pk=complaint.pk)
            expected = state in RUNS[step.name] and label == "due passed, not done"

            in_python = is_overdue(row, step, now)
            in_query = Complaint.objects.filter(overdue_q(now, steps=(step,)), pk=row.pk).exists()
            with connection.cursor() as cursor:
                table = Complaint._meta.db_table
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE id = %s AND {overdue_sql(step)}",
                               [row.pk, now])
                in_sql = cursor.fetchone()[0] == 1

            assert (in_python, in_query, in_sql) == (expected,) * 3, (state, step.name, label)
