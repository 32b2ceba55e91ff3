"""Signals of the content apps (model configuration and training), for the levels above to listen to.

Sent inside the change's transaction; a receiver that writes runs in it too. tenants/releases records who
changed which central draft this way, so the content services need not know releases exist.
"""

from django.dispatch import Signal

# kwargs: actor (a user or None), what (a model item kind, "courses", "lessons" or "attachments"), key, action
# ("added", "changed", "removed"). Sent for the drafts in public and for a tenant's local courses alike.
draft_changed = Signal()
