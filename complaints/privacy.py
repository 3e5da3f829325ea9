"""The personal data of complaints (see config/privacy.py for the format and docs/privacy.md)."""

INVENTORY = {
    "complaints.Complaint": {
        "personal": {
            "title": ("free_text", "complaint"),
            "description": ("free_text", "complaint"),
            "address": ("location", "complaint"),
            "latitude": ("location", "complaint"),
            "longitude": ("location", "complaint"),
            "area": ("location", "complaint"),
            "media_url": ("attachment", "complaint"),
            "reporter_name": ("name", "complaint"),
            "reporter_email": ("contact", "complaint"),
            "reporter_phone": ("contact", "complaint"),
            "reporter_user": ("account", "complaint"),
            "assignee": ("account", "account"),
            "reject_message": ("free_text", "complaint"),
            "resolution_summary": ("free_text", "complaint"),
            "referred_to": ("free_text", "complaint", "where it was referred, typed by the officer"),
            "rating_comment": ("free_text", "complaint"),
            "resolved_by": ("account", "account"),
            "resolution_reference": ("free_text", "complaint", "a letter number, typed by the resolving officer"),
            "content_hash": ("free_text", "complaint", "a keyed digest of what was filed: with the server's key it confirms a guess"),
        },
        "not_personal": (
            "id tracking_code access_token_hash kind language channel idempotency_key "
            "category identity_mode visibility public_title public_summary "
            "public_summary_approved_at public_location public_media_approved state "
            "responsible_unit duplicate_of subject_unit declassified_at reject_reason outcome "
            "rating reopen_count escalation_level suggested_units created_at "
            "submitted_at triaged_at first_response_at resolved_at final_resolved_at "
            "closed_at updated_at triage_due_at response_due_at resolution_due_at "
            "appeal_due_at info_requested_at info_due_at info_return_state paused_seconds review_requested_at "
            "audit_head audit_count audit_seal resolution_evidence verification_due_at verified_at "
            "sent_back_count verification_escalation_level processing_restricted_at personal_data_erased_at"
        ),
        "published": {
            "latitude": "as the centre of its PUBLIC_LOCATION_GRID_M grid cell, never for private or sensitive complaints (Complaint.public_point)",
            "longitude": "as the centre of its PUBLIC_LOCATION_GRID_M grid cell, never for private or sensitive complaints (Complaint.public_point)",
            "area": "its name, never for private or sensitive complaints (Complaint.public_area)",
            "media_url": "only once triage approved the link (Complaint.public_media_url)",
        },
    },
    "complaints.Event": {
        "personal": {
            "actor_user": ("account", "audit_trail"),
            "actor_label": ("name", "audit_trail"),
            "data": ("free_text", "audit_trail", "the facts; the whole data only in events not re-sealed"),
            "personal": ("free_text", "audit_personal", "messages, answers, reasons and summaries as recorded"),
        },
        "not_personal": (
            "id complaint seq created_at action from_state to_state actor_type actor_api_key "
            "public prev_mac mac personal_salt personal_hash personal_erased_at legacy_mac"
        ),
    },
    "complaints.Message": {
        "personal": {
            "author_user": ("account", "complaint"),
            "body": ("free_text", "complaint"),
        },
        "not_personal": "id complaint visibility author_type author_unit created_at",
        "published": {
            "body": "a unit's public reply, on the page of a published complaint; never the citizen's own messages",
        },
    },
    "complaints.Attachment": {
        "on_erasure": "delete",
        "personal": {
            "file": ("attachment", "complaint"),
            "original_name": ("free_text", "complaint", "a file name may hold a name"),
        },
        "not_personal": "id complaint purpose content_type size created_at",
    },
    "complaints.Notification": {
        "on_erasure": "delete",
        "personal": {
            "to_email": ("contact", "complaint", "an anonymous reporter's receipt address is erased once sent"),
            "to_phone": ("contact", "complaint", "the number an SMS goes to (a reporter who came by SMS; "
                         "replies to SMS commands erase it once sent)"),
            "subject": ("free_text", "complaint"),
            "body": ("free_text", "complaint", "the e-mail as sent: names and private links"),
            "last_error": ("free_text", "complaint", "a mail server's refusal may quote the address"),
        },
        "not_personal": (
            "id complaint kind language status attempts next_attempt_at claimed_at created_at "
            "sent_at erase_after_send"
        ),
    },
    "complaints.InboundMessage": {
        "on_erasure": "delete",  # the e-mail as it came goes with its complaint's data
        "personal": {
            "raw": ("free_text", "inbound_mail", "the message as received: address, name, text, files "
                    "(of an SMS, only its text)"),
            "sender_hash": ("contact", "inbound_mail", "a keyed digest of the sender's address or number"),
            "subject": ("free_text", "inbound_mail"),
            "refused": ("free_text", "inbound_mail", "refused attachments' names with why"),
        },
        "not_personal": "id message_key channel received_at status reason size complaint",
    },
    "complaints.ReadRecord": {
        "personal": {
            "user": ("account", "account", "who read a confidential page: evidence for the reporter"),
        },
        "not_personal": "id complaint at page attachment_pk",
    },
    "complaints.DataSubjectRequest": {
        "personal": {
            "reason": ("free_text", "complaint", "the citizen's reason for an erase or stop request; emptied when an erasure is approved"),
            "refusal_reason": ("free_text", "complaint", "the privacy officer's refusal, shown to the citizen"),
            "decided_by": ("account", "account"),
        },
        "not_personal": "id complaint kind state submitted_at due_at decided_at",
    },
    "complaints.AccessLink": {
        "on_erasure": "delete",  # signed links into the complaint: revoked with its data
        "not_personal": "id complaint purpose code_hash token_fingerprint created_at expires_at used_at",
    },
    "complaints.ApiKey": {
        "not_personal": "id name prefix key_hash created_at revoked_at",
    },
    "complaints.ResponseTemplate": {
        "not_personal": "id name action choice category unit text_id text_en active",
    },
    "complaints.TransparencyRoot": {
        "not_personal": "id number tree_size root_hash published_at signature public_key leaves",
    },
    "complaints.AnchoredHead": {
        "not_personal": "id root complaint leaf_index count leaf_hash",
    },
}
