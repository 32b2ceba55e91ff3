"""The ground floor every package may import: enqueue on commit, database, form and validator helpers.

It imports nothing from tenants, modules or api (import-linter checks it in `make lint`)."""
