"""Finding the tenant for a request's host, with a small per-process cache.

django-tenants' middleware looks the host up in the public schema on every request: one query plus a
`SET search_path` to public before the tenant's own `SET search_path`. With 311 tenants the answer
for a host almost never changes, so each process keeps it for TENANT_DOMAIN_CACHE_SECONDS (default 10 s).

What keeps this tenant-safe:
- only hosts that exist are cached; an unknown host is looked up every time (and cannot fill memory);
- only rows read outside any transaction are cached, i.e. committed rows: a domain or tenant seen inside
  a transaction that is later rolled back never enters the cache;
- every request gets its own copy of the tenant: nothing a request does to `request.tenant` reaches another;
- saving or deleting a Domain or a Tenant, and a lifecycle change committed through tenants/services.py
  (an UPDATE, no post_save), empties this process's cache at once; other processes see the change within
  TENANT_DOMAIN_CACHE_SECONDS (a suspension, a new domain) — the only staleness allowed;
- a tenant that does not serve (paused, archived, not yet built) is never cached: its answer is a cheap
  error page, and so every process sees it reopen at once;
- the cache is bounded (TENANT_DOMAIN_CACHE_MAX_ENTRIES, oldest dropped first);
- TENANT_DOMAIN_CACHE_SECONDS=0 turns it off: plain django-tenants behaviour.
"""

import copy
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.models import Domain, Tenant

# The statuses whose sites answer (tenants/middleware.py closes the others).
_SERVING = frozenset({Tenant.Status.ACTIVE, Tenant.Status.ONBOARDING})
_cache: OrderedDict[str, tuple[float, Tenant]] = OrderedDict()
_lock = threading.Lock()


def tenant_cache_clear() -> None:
    with _lock:
        _cache.clear()


def tenant_cache_clear_on_commit() -> None:
    """Empty the cache once the current transaction commits: cleared earlier, a request in between could
    cache the old row again."""
    transaction.on_commit(tenant_cache_clear)


def _cache_seconds() -> float:
    return getattr(settings, "TENANT_DOMAIN_CACHE_SECONDS", 0)


def _cache_get(hostname: str) -> Tenant | None:
    with _lock:
        entry = _cache.get(hostname)
        if entry is None:
            return None
        expires_at, tenant = entry
        if expires_at <= time.monotonic():
            del _cache[hostname]
            return None
    return copy.copy(tenant)


def _cache_put(hostname: str, tenant: Tenant) -> None:
    limit = getattr(settings, "TENANT_DOMAIN_CACHE_MAX_ENTRIES", 1024)
    with _lock:
        _cache[hostname] = (time.monotonic() + _cache_seconds(), copy.copy(tenant))
        _cache.move_to_end(hostname)
        while len(_cache) > limit:
            _cache.popitem(last=False)


def tenant_cache_activity_noted(tenant_pk: int, at) -> None:
    """A tenant's last activity was just written: the cached copies learn it too, or every request until
    the entry expires would find it old and write the same public row again."""
    with _lock:
        for _expires_at, tenant in _cache.values():
            if tenant.pk == tenant_pk:
                tenant.last_activity_at = at


class CachedTenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        if _cache_seconds() <= 0 or connection.in_atomic_block:
            return super().get_tenant(domain_model, hostname)
        tenant = _cache_get(hostname)
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)  # raises DoesNotExist: never cached
            if tenant.is_central or tenant.status in _SERVING:
                _cache_put(hostname, tenant)
        return tenant


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def _registry_changed(**kwargs) -> None:
    tenant_cache_clear()
