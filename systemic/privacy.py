"""The personal data of oversight's systemic work (see config/privacy.py)."""

INVENTORY = {
    "systemic.EarlyWarning": {
        "personal": {
            "decided_by": ("account", "oversight"),
            "dismiss_reason": ("free_text", "oversight"),
        },
        "not_personal": (
            "id kind status series_key dimensions period_start period_end observed expected "
            "upper p_value method series complaint_codes category_ids unit_ids area_ids area_counts sensitive "
            "detected_at updated_at decided_at issue"
        ),
    },
    "systemic.SystemicIssue": {
        "personal": {
            "title": ("free_text", "oversight"),
            "description": ("free_text", "oversight"),
            "analysis": ("free_text", "oversight"),
            "measures": ("free_text", "oversight"),
            "closing_note": ("free_text", "oversight"),
            "created_by": ("account", "oversight"),
        },
        "not_personal": (
            "id state unit due_at sensitive created_at updated_at assigned_at answered_at "
            "closed_at complaints"
        ),
    },
    "systemic.SystemicIssueEvent": {
        "personal": {
            "actor": ("account", "oversight"),
            "actor_label": ("name", "oversight"),
            "data": ("free_text", "oversight"),
        },
        "not_personal": "id issue seq created_at kind from_state to_state",
    },
    "systemic.Scan": {
        "not_personal": "*",
    },
}
