from celery import shared_task

from modules.accounts.models import User
from tenants.models import Tenant
from tenants.services import tenant_export_create


@shared_task
def export_tenant(*, tenant_id: int, actor_id: int | None = None) -> None:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is not None:
        tenant_export_create(tenant=tenant, actor=User.objects.filter(pk=actor_id).first())
