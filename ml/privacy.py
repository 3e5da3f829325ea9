"""The router's database rows hold no personal data; its model files do (docs/privacy.md)."""

INVENTORY = {
    "ml.RouterVersion": {
        "not_personal": "id version path created_at n_samples labels metrics is_active",
    },
}
