{{- define "backa.name" -}}backa-platform{{- end -}}

{{- define "backa.fullname" -}}
{{- if contains "backa-platform" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-backa-platform" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "backa.labels" -}}
app.kubernetes.io/name: {{ include "backa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels for one component: web, worker, beat, migrate, pgbouncer. */}}
{{- define "backa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backa.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "backa.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "backa.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "backa.fullname" .)) -}}
{{- end -}}

{{- define "backa.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "backa.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* Where the platform connects: the chart's PgBouncer, or PostgreSQL directly. */}}
{{- define "backa.databaseHost" -}}
{{- if .Values.pgbouncer.enabled -}}
{{- printf "%s-pgbouncer" (include "backa.fullname" .) -}}
{{- else -}}
{{- .Values.database.host -}}
{{- end -}}
{{- end -}}

{{- define "backa.databasePort" -}}
{{- if .Values.pgbouncer.enabled -}}6432{{- else -}}{{ .Values.database.port }}{{- end -}}
{{- end -}}

{{/* Pod security: non-root, no privilege escalation, read-only root filesystem, no capabilities. */}}
{{- define "backa.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "backa.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Environment of every platform process: the ConfigMap plus the Secret. */}}
{{- define "backa.envFrom" -}}
- configMapRef:
    name: {{ include "backa.fullname" . }}-config
- secretRef:
    name: {{ include "backa.secretName" . }}
{{- end -}}

{{- define "backa.volumes" -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
- name: media
  emptyDir:
    sizeLimit: 1Gi
{{- end -}}

{{- define "backa.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: media
  mountPath: /var/lib/backa/media
{{- end -}}

{{- define "backa.podSpecCommon" -}}
serviceAccountName: {{ include "backa.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "backa.podSecurityContext" . | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Beat is a singleton: refuse any value that would run two (the schema refuses them too). */}}
{{- define "backa.assertSingleBeat" -}}
{{- $beat := .Values.beat | default dict -}}
{{- if or (hasKey $beat "replicas") (hasKey $beat "autoscaling") (hasKey $beat "replicaCount") -}}
{{- fail "beat runs exactly one replica: two would send every periodic task twice. Remove beat.replicas / beat.autoscaling." -}}
{{- end -}}
{{- end -}}

{{/* Non-secret settings: the ConfigMap, and inline in the migration hook (which runs before it exists). */}}
{{- define "backa.configData" -}}
DJANGO_SETTINGS_MODULE: backa_platform.settings
BACKA_REQUIRE_SECRET_KEY: "1"
CENTRAL_DOMAIN: {{ .Values.centralDomain | quote }}
ALLOWED_HOSTS: {{ printf "%s,.%s" .Values.centralDomain .Values.centralDomain | quote }}
CSRF_TRUSTED_ORIGINS: {{ printf "https://%s,https://*.%s" .Values.centralDomain .Values.centralDomain | quote }}
HTTPS: "1"
BEHIND_PROXY: "1"
PUBLIC_URL_SCHEME: {{ .Values.config.publicUrlScheme | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
SENTRY_ENVIRONMENT: {{ .Values.config.sentryEnvironment | quote }}
DATABASE_POOLER_MODE: {{ .Values.pgbouncer.poolMode | quote }}
DATABASE_CONN_MAX_AGE: {{ .Values.config.databaseConnMaxAge | quote }}
CELERY_TENANT_CACHE_SECONDS: {{ .Values.config.celeryTenantCacheSeconds | quote }}
TENANT_DOMAIN_CACHE_SECONDS: {{ .Values.config.tenantDomainCacheSeconds | quote }}
BACKA_MIGRATE_ALL_COMMAND: {{ .Values.migrations.migrateAllCommand | quote }}
DATABASE_RUNTIME_ROLE: {{ .Values.database.runtimeUser | quote }}
CELERY_OWNER_QUEUE: owner
{{- range $key, $value := .Values.config.extraEnv }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end -}}
