# WebSocket routes; the dashboard app adds its consumer here.
websocket_urlpatterns = []
