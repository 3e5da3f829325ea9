"""The personal data of routing: only who belongs to which unit (see config/privacy.py)."""

INVENTORY = {
    "routing.Membership": {
        "personal": {
            "user": ("account", "account"),
        },
        "not_personal": "id unit role",
    },
    "routing.Unit": {
        "not_personal": "id code name_id name_en kind parent active",
    },
    "routing.SLAPolicy": {
        "not_personal": (
            "id code name_id name_en time_unit triage_target response_target resolution_light "
            "resolution_normative resolution_standard resolution_investigation"
        ),
    },
    "routing.Category": {
        "not_personal": (
            "id code name_id name_en description_id description_en keywords default_unit "
            "sla_policy resolution_class sensitive location_required retention_months active"
        ),
    },
    "routing.CalendarDay": {
        "not_personal": "id date is_working_day note",
    },
}
