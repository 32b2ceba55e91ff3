#!/bin/sh
# The image's entrypoint: one image, the command decides what runs.
#   web        gunicorn with deploy/gunicorn.conf.py
#   worker     a Celery worker, as the runtime role (DATABASE_URL)
#   worker-owner  a Celery worker for the owner's tasks (provisioning, exports: CELERY_OWNER_QUEUE), as the
#              owner role (DATABASE_OWNER_URL)
#   beat       Celery beat (run exactly one)
#   migrate    as the owner role: the shared (public) migration, then every tenant schema (migrate-all; the
#              manage.py command and its arguments come from BACKA_MIGRATE_ALL_COMMAND), then the runtime
#              role's grants (database_roles --create; its password from DATABASE_RUNTIME_PASSWORD)
#   bootstrap  migrate, then the central tenant and, with BACKA_SEED_DEMO=1, the demo tenants
#   anything else is run as given (e.g. `python manage.py shell`)
# In production (BACKA_REQUIRE_SECRET_KEY=1, the image's default) it refuses to start without SECRET_KEY.
set -eu

if [ "${BACKA_REQUIRE_SECRET_KEY:-0}" = "1" ] && [ -z "${SECRET_KEY:-}" ]; then
    echo "backa: refusing to start: SECRET_KEY is not set (production mode, BACKA_REQUIRE_SECRET_KEY=1)." >&2
    echo "backa: set SECRET_KEY from a secret (Kubernetes Secret, compose .env); never bake it into the image." >&2
    exit 78  # EX_CONFIG
fi

HERE=$(cd "$(dirname "$0")" && pwd)
APP=$(dirname "$HERE")
cd "$APP"

command=${1:-web}
case "$command" in
    web)
        shift || true
        exec gunicorn --config "$HERE/gunicorn.conf.py" backa_platform.wsgi:application "$@"
        ;;
    worker)
        shift
        exec celery -A backa_platform worker --loglevel "${LOG_LEVEL:-INFO}" \
            --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
        ;;
    worker-owner)
        shift
        export BACKA_DATABASE_ROLE=owner
        exec celery -A backa_platform worker --loglevel "${LOG_LEVEL:-INFO}" \
            --concurrency "${CELERY_CONCURRENCY:-2}" --queues "${CELERY_OWNER_QUEUE:-owner}" "$@"
        ;;
    beat)
        shift
        # The schedule file lives in /tmp: the root filesystem is read-only.
        exec celery -A backa_platform beat --loglevel "${LOG_LEVEL:-INFO}" \
            --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" "$@"
        ;;
    migrate)
        shift
        export BACKA_DATABASE_ROLE=owner
        python manage.py migrate_schemas --shared --noinput
        # shellcheck disable=SC2086 # the command is a word list on purpose
        python manage.py ${BACKA_MIGRATE_ALL_COMMAND:-migrate_all} "$@"
        exec python manage.py database_roles --create
        ;;
    bootstrap)
        shift
        export BACKA_DATABASE_ROLE=owner
        python manage.py migrate_schemas --shared --noinput
        # shellcheck disable=SC2086
        python manage.py ${BACKA_MIGRATE_ALL_COMMAND:-migrate_all}
        python manage.py database_roles --create
        python manage.py bootstrap_central
        if [ "${BACKA_SEED_DEMO:-0}" = "1" ]; then
            python manage.py seed_demo --port "${PUBLIC_URL_PORT:-8000}"
        fi
        exit 0
        ;;
    *)
        exec "$@"
        ;;
esac
