"""The personal data of accounts: the user model and the security log (see config/privacy.py)."""

INVENTORY = {
    "auth.User": {
        "personal": {
            "username": ("name", "account"),
            "first_name": ("name", "account"),
            "last_name": ("name", "account"),
            "email": ("contact", "account"),
            "password": ("account", "account", "a salted hash"),
        },
        "not_personal": (
            "id last_login is_superuser is_staff is_active date_joined groups "
            "user_permissions"
        ),
    },
    "accounts.SecurityEvent": {
        "personal": {
            "user": ("account", "security_log"),
            "username": ("name", "security_log"),
            "ip": ("ip", "security_log"),
            "user_agent": ("ip", "security_log"),
            "detail": ("free_text", "security_log"),
        },
        "not_personal": "id at kind",
    },
    "accounts.SignInThrottle": {
        "personal": {
            "username": ("name", "sign_in_throttle"),
            "ip": ("ip", "sign_in_throttle"),
        },
        "not_personal": "id scope failures last_failure_at blocked_until",
    },
}
