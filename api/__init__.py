"""The HTTP contract (DRF) for the central and the tenant sites, with its OpenAPI schema."""
