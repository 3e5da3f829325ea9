"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) with the pagination extension:
the standard API through which existing civic apps file and read complaints."""
