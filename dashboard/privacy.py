"""The dashboard's rollups hold counts and times only, no personal data (see config/privacy.py)."""

INVENTORY = {
    "dashboard.ComplaintFact": {
        "not_personal": "*",
    },
    "dashboard.DailyCount": {
        "not_personal": "*",
    },
    "dashboard.MonthlyCount": {
        "not_personal": "*",
    },
    "dashboard.DurationHistogram": {
        "not_personal": "*",
    },
    "dashboard.OpenCount": {
        "not_personal": "*",
    },
    # Staff officers' work figures (staff ids, counts and times): not citizens' data; shown
    # only to their supervisors and oversight (dashboard.staff).
    "dashboard.OfficerCount": {
        "not_personal": "*",
    },
    "dashboard.OfficerHistogram": {
        "not_personal": "*",
    },
    "dashboard.AcceptanceCount": {
        "not_personal": "*",
    },
}
