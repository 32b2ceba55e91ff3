"""The national level: the registry of tenants (municipalities and regions) and what acts on them."""
