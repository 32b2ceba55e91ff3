"""The local level: one Django app per capability inside one tenant's schema."""
