"""The public anchor of the audit chain (a transparency log); see docs/privacy.md."""
