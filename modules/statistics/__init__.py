"""An instance's own figures about the work, computed inside its schema: counts only, by code and month.

Nothing here keeps data: the national level (tenants/statistics) calls ``instance_figures`` in each tenant's
schema and stores what it returns in public. No child id, name, date of birth or free text is returned.
"""
