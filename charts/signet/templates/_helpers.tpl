{{/* Labels every object of the release carries. */}}
{{- define "signet.labels" -}}
app.kubernetes.io/name: signet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "signet.selector" -}}
app.kubernetes.io/name: signet
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "signet.rootNamespace" -}}
{{- default .Release.Namespace .Values.rootNamespace -}}
{{- end -}}

{{/* The image: by digest when one is given, else by tag (the chart's appVersion unless set). */}}
{{- define "signet.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* A duration of the form the schema allows (a number and s, m, h or d) in seconds. */}}
{{- define "signet.seconds" -}}
{{- $n := regexFind "^[0-9]+" . | atoi -}}
{{- $unit := trimPrefix (regexFind "^[0-9]+" .) . -}}
{{- $per := dict "s" 1 "m" 60 "h" 3600 "d" 86400 -}}
{{- mul $n (get $per $unit) -}}
{{- end -}}

{{/* What values.schema.json cannot say: checks across fields, each failing with the values it names. */}}
{{- define "signet.checkValues" -}}
{{- $default := include "signet.seconds" .Values.certificates.defaultTtl | atoi -}}
{{- $max := include "signet.seconds" .Values.certificates.maxTtl | atoi -}}
{{- if gt $default $max -}}
{{- fail (printf "certificates.defaultTtl (%s) must not exceed certificates.maxTtl (%s): the control plane would refuse to start" .Values.certificates.defaultTtl .Values.certificates.maxTtl) -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.enabled (gt (int .Values.replicas) 1) (ge (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.replicas)) -}}
{{- fail (printf "podDisruptionBudget.maxUnavailable (%d) must be below replicas (%d), or the budget protects nothing" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.replicas)) -}}
{{- end -}}
{{- end -}}

{{/* The cluster-wide MutatingWebhookConfiguration of the release. */}}
{{- define "signet.webhookConfiguration" -}}
signet-injector-{{ .Release.Namespace }}
{{- end -}}
