"""Domain events of the complaint.

`complaint_changed` is sent inside the transaction that changed the complaint: receivers
write rows that must commit or roll back with the change (outbox notifications,
dashboard rollups). `complaint_committed` is sent after commit: receivers do things
that must only happen for changes that really happened (the live broadcast).
Both carry: complaint, event (the audit Event), action, from_state, to_state, previous
(a dict of the complaint's fields before the change that metrics care about).
"""

from django.dispatch import Signal

complaint_changed = Signal()
complaint_committed = Signal()
