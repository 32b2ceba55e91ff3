"""Anchors of every tenant's audit chain, kept in public, outside the tenant schema's reach.

A table the runtime role may read but not write: it adds a row only through `public.audit_anchor_take`, a
SECURITY DEFINER function owned by the owner role that checks the anchored entry is the one in the log. The
rows are read and written by modules.audit (services.audit_anchor_record, selectors.audit_chain_verify) by
that SQL name, so the local level does not import this national app; `manage.py audit_anchors_export` prints
them for an external timestamp.
"""
