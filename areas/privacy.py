"""The personal data of areas: none; a city's kecamatan and kelurahan are public places (see
config/privacy.py). A complaint's area is declared with the complaint."""

INVENTORY = {
    "areas.Area": {
        "not_personal": "id code name level parent boundary min_lat max_lat min_lng max_lng",
    },
}
