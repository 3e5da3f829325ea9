"""Dashboard read models: one fact row per complaint and the rollups summed from them.

The rollups are the sum of every complaint's *contributions* (dashboard.rollups): when a
complaint changes, its old contributions are subtracted and its new ones added, inside
the transition's transaction. `rebuild_rollups` recomputes the same sums from scratch.
Unit and category ids are plain integers (no foreign keys) so that rollup writes take no
extra locks; unit_key 0 means "not routed to a unit yet", -1 means "all units".
"""

from django.db import models

UNIT_NONE = 0
UNIT_ALL = -1


class ComplaintFact(models.Model):
    """What the dashboard knows about one complaint, including which unit was responsible
    when each measured step happened (the complaint itself only knows its current unit)."""

    complaint_id = models.BigIntegerField(primary_key=True)
    state = models.CharField(max_length=16)
    kind = models.CharField(max_length=24)
    category_id = models.BigIntegerField()
    # How the complaint reached the city (Complaint.channel); db_default for generated history.
    channel = models.CharField(max_length=10, default="web", db_default="web")
    unit_id = models.BigIntegerField(null=True)  # responsible now
    submitted_at = models.DateTimeField()
    triaged_at = models.DateTimeField(null=True)
    first_response_at = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    triage_due_at = models.DateTimeField(null=True)
    response_due_at = models.DateTimeField(null=True)
    resolution_due_at = models.DateTimeField(null=True)
    triage_unit_id = models.BigIntegerField(null=True)
    response_unit_id = models.BigIntegerField(null=True)
    resolution_unit_id = models.BigIntegerField(null=True)
    # The staff user who made the first response and the (first) resolution, kept like
    # the step's unit (the per-officer rollups, OfficerCount and OfficerHistogram).
    response_officer_id = models.BigIntegerField(null=True)
    resolution_officer_id = models.BigIntegerField(null=True)
    outcome = models.CharField(max_length=24, blank=True)
    rating = models.PositiveSmallIntegerField(null=True)
    reopen_count = models.PositiveIntegerField(default=0)
    reject_reason = models.CharField(max_length=32, blank=True)
    # Working time of each measured step, stored so that removing a contribution later
    # lands in the same histogram bin even if the holiday calendar was edited meanwhile.
    triage_wsec = models.BigIntegerField(null=True)
    response_unit_wsec = models.BigIntegerField(null=True)
    response_citizen_wsec = models.BigIntegerField(null=True)
    resolution_wsec = models.BigIntegerField(null=True)
    # Resolution with proof and the verifier step: the last resolution carried the proof
    # its category asks for; it went to a verifier; a verifier confirmed it; how often a
    # verifier sent it back.
    with_proof = models.BooleanField(default=False)
    verification_needed = models.BooleanField(default=False)
    verified = models.BooleanField(default=False)
    sent_back_count = models.PositiveIntegerField(default=0)


COUNT_COLUMNS = (
    "received", "duplicates", "spam", "withdrawn",
    "triage_done", "triage_met", "response_done", "response_met",
    "resolution_done", "resolution_met",
    "cohort_resolved", "fixed", "partly_fixed", "cannot_fix", "not_our_authority", "answered",
    "reopened", "rated", "rating_sum", "rated_high",
    "resolved",  # by the day of the (first) resolution, not of submission
    "with_proof", "verification_needed", "verified", "sent_back",
)


class Counters(models.Model):
    """The counter columns (COUNT_COLUMNS) of one (day or month, unit, category, channel)."""

    unit_key = models.BigIntegerField()
    category_id = models.BigIntegerField()
    channel = models.CharField(max_length=10, default="web", db_default="web")
    received = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0)
    spam = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    triage_done = models.IntegerField(default=0)
    triage_met = models.IntegerField(default=0)
    response_done = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    resolution_done = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    cohort_resolved = models.IntegerField(default=0)
    fixed = models.IntegerField(default=0)
    partly_fixed = models.IntegerField(default=0)
    cannot_fix = models.IntegerField(default=0)
    not_our_authority = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rated_high = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    with_proof = models.IntegerField(default=0)
    verification_needed = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    sent_back = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyCount(Counters):
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "unit_key", "category_id", "channel"],
                                               name="dailycount_channel_key")]


class MonthlyCount(Counters):
    """The sum of a calendar month's DailyCount rows, kept beside them (same transaction), so
    that a year is read as ~12 months plus a few days instead of 365 days."""

    day = models.DateField()  # the first day of the month

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "unit_key", "category_id", "channel"],
                                               name="monthlycount_channel_key")]


class DurationHistogram(models.Model):
    """The histogram of one duration metric (log-spaced bins, 1 % wide) for one unit (or
    all) over one day, ISO week, month or quarter of submission, stored sparse in one row
    (dashboard.histogram). Periods are read as whole quarters, months, weeks, then single
    days, so a year needs ~12 rows per metric, not 365, and a row holds at most a few
    hundred non-empty bins."""

    unit_key = models.BigIntegerField()
    gran = models.CharField(max_length=1)  # d, w, m, q
    bucket = models.DateField()
    metric = models.CharField(max_length=24)
    data = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["unit_key", "gran", "bucket", "metric"], name="durationhistogram_key")]


class OpenCount(models.Model):
    """Open complaints now, by day of submission (ageing), current unit and category.
    Rows that reach zero are deleted, so the table stays as small as the backlog's spread."""

    day = models.DateField()
    unit_key = models.BigIntegerField()
    category_id = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "unit_key", "category_id"],
                                               name="opencount_key")]


# --- per officer (the staff performance page; never public) -------------------------------
OFFICER_COUNT_COLUMNS = ("response_done", "response_met", "resolution_done", "resolution_met",
                         "resolved")


class OfficerCount(models.Model):
    """Per officer and the unit responsible at the step, over one day, ISO week, month or
    quarter (like DurationHistogram): first responses and resolutions with a due date and how
    many met it (by day of submission), and first resolutions (by the day they happened).
    Plain integer ids (no foreign keys): rollup writes take no extra locks."""

    officer_id = models.BigIntegerField()
    unit_key = models.BigIntegerField()
    gran = models.CharField(max_length=1)
    bucket = models.DateField()
    response_done = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    resolution_done = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer_id", "unit_key", "gran", "bucket"],
                                               name="officercount_key")]
        indexes = [
            # The performance page for oversight (every officer: no officer_id to lead with)
            # reads one granularity's range of buckets (dashboard.staff._officer_reads).
            models.Index(fields=["gran", "bucket"], name="officercount_period"),
        ]


class AcceptanceCount(models.Model):
    """Triage officers' decisions on the classifier's suggested unit, per day (local) and
    officer: how many decided on a suggestion and how many took it (complaints.training.
    judged_suggestion: automatic routings and decisions without a suggestion are left out).
    Kept in the triage's transaction, so the page's chart reads days, not the audit log."""

    day = models.DateField()
    officer_id = models.BigIntegerField()  # 0: no staff user
    decided = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "officer_id"], name="acceptancecount_key")]


class OfficerHistogram(models.Model):
    """The duration histograms (response_unit_h/_w, resolution_h/_w) of one officer's steps in
    one unit, per day, ISO week, month or quarter of submission (read like DurationHistogram)."""

    officer_id = models.BigIntegerField()
    unit_key = models.BigIntegerField()
    gran = models.CharField(max_length=1)
    bucket = models.DateField()
    metric = models.CharField(max_length=24)
    data = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["officer_id", "unit_key", "gran", "bucket", "metric"], name="officerhistogram_key")]
        indexes = [
            # As OfficerCount's: oversight's page reads every officer's histograms of a
            # granularity's range of buckets (dashboard.staff._officer_reads).
            models.Index(fields=["gran", "bucket"], name="officerhistogram_period"),
        ]
