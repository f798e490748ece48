{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "stream-inference.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name. */}}
{{- define "stream-inference.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "stream-inference.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: immutable on a Deployment, so nothing here may change between chart versions. */}}
{{- define "stream-inference.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stream-inference.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stream-inference.labels" -}}
helm.sh/chart: {{ include "stream-inference.chart" . }}
{{ include "stream-inference.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: stream-inference
{{- end }}

{{- define "stream-inference.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stream-inference.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "stream-inference.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "stream-inference.modelServerService" -}}
{{- printf "%s-model-server" (include "stream-inference.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* gRPC target of TF Serving: the configured address, else the headless Service through DNS. */}}
{{- define "stream-inference.modelServerAddress" -}}
{{- if .Values.modelServer.address }}
{{- .Values.modelServer.address }}
{{- else if .Values.modelServer.headlessService.create }}
{{- printf "dns:///%s.%s.svc.cluster.local:%v" (include "stream-inference.modelServerService" .) .Release.Namespace .Values.modelServer.headlessService.port }}
{{- else }}
{{- fail "modelServer.address is empty and modelServer.headlessService.create is false: set one of them" }}
{{- end }}
{{- end }}

{{- define "stream-inference.jaasModule" -}}
{{- if eq .Values.kafka.sasl.mechanism "PLAIN" -}}
org.apache.kafka.common.security.plain.PlainLoginModule
{{- else -}}
org.apache.kafka.common.security.scram.ScramLoginModule
{{- end }}
{{- end }}

{{/*
Hash of a Secret the chart does not own, so pods roll when its content changes: looked up in the cluster at
install/upgrade (helm template without a cluster sees an empty Secret). With secretChecksum.lookup false, the hash
covers only the reference (Secret name and keys), for tools that render without any cluster access.
*/}}
{{- define "stream-inference.secretChecksum" -}}
{{- if .root.Values.secretChecksum.lookup }}
{{- $secret := lookup "v1" "Secret" .root.Release.Namespace .name }}
{{- dig "data" (dict) $secret | toJson | sha256sum }}
{{- else }}
{{- printf "%s/%s" .name .keys | sha256sum }}
{{- end }}
{{- end }}

{{/* Render-time checks of combinations the schema cannot express. */}}
{{- define "stream-inference.validate" -}}
{{- $api := false }}
{{- range $key, $spec := include "stream-inference.workloads" . | fromYaml }}
{{- $w := include "stream-inference.workload" (dict "root" $ "key" $key "spec" $spec) | fromYaml }}
{{- if $w.api }}{{ $api = true }}{{ end }}
{{- if and $w.autoscaling.enabled $w.keda.enabled }}
{{- fail (printf "workload %s: autoscaling.enabled and keda.enabled both create a HorizontalPodAutoscaler: enable one" $key) }}
{{- end }}
{{- if gt (mul (int $w.keda.maxReplicaCount) (int $.Values.kafka.consumersPerStage)) (int $.Values.kafka.partitions) }}
{{- fail (printf "workload %s: keda.maxReplicaCount (%v) x kafka.consumersPerStage (%v) exceeds kafka.partitions (%v): extra consumers would sit idle" $key $w.keda.maxReplicaCount $.Values.kafka.consumersPerStage $.Values.kafka.partitions) }}
{{- end }}
{{- if and (gt (len $w.groups) 0) (gt (mul (int $w.replicas) (int $.Values.kafka.consumersPerStage)) (int $.Values.kafka.partitions)) }}
{{- fail (printf "workload %s: replicas (%v) x kafka.consumersPerStage (%v) exceeds kafka.partitions (%v): extra consumers would sit idle" $key $w.replicas $.Values.kafka.consumersPerStage $.Values.kafka.partitions) }}
{{- end }}
{{- end }}
{{- if not $api }}
{{- fail "no workload has the api role: nothing would serve the API and the dashboard" }}
{{- end }}
{{- if and .Values.kafka.sasl.enabled (eq .Values.kafka.sasl.securityProtocol "SASL_PLAINTEXT") (eq .Values.kafka.sasl.mechanism "PLAIN") }}
{{- fail "kafka.sasl.mechanism PLAIN over SASL_PLAINTEXT sends the password in the clear: use SASL_SSL (kafka.tls) or SCRAM" }}
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.sasl.enabled (ne .Values.kafka.sasl.securityProtocol "SASL_SSL") }}
{{- fail "kafka.tls.enabled with kafka.sasl.enabled needs kafka.sasl.securityProtocol SASL_SSL" }}
{{- end }}
{{- if and .Values.kafka.sasl.enabled (not .Values.kafka.sasl.existingSecret) }}
{{- fail "kafka.sasl.enabled needs kafka.sasl.existingSecret (credentials are never rendered by this chart)" }}
{{- end }}
{{- if and .Values.modelServer.model.version .Values.modelServer.model.versionLabel }}
{{- fail "modelServer.model.version and modelServer.model.versionLabel: set at most one" }}
{{- end }}
{{- $needed := add .Values.shutdown.preStopSleepSeconds (mul 2 .Values.shutdown.phaseTimeoutSeconds) }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must exceed shutdown.preStopSleepSeconds + 2 x shutdown.phaseTimeoutSeconds (%v)" .Values.terminationGracePeriodSeconds $needed) }}
{{- end }}
{{- end }}

{{/* The headless Service over every pod: the StatefulSets' governing Service and what the ServiceMonitor scrapes. */}}
{{- define "stream-inference.podsService" -}}
{{- printf "%s-pods" (include "stream-inference.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The workloads as configured; none: one with every role, named like the release. */}}
{{- define "stream-inference.workloads" -}}
{{- toYaml (.Values.workloads | default (dict "all" (dict "roles" list))) }}
{{- end }}

{{/*
One workload's effective settings as YAML: its name, roles (empty: all), whether it runs a transactional stage (a
StatefulSet) or the API (behind the API Service), the consumer groups and topics its roles consume (for KEDA), and
replicas, resources, autoscaling, keda and podDisruptionBudget: the workload's own over the top-level values.
*/}}
{{- define "stream-inference.workload" -}}
{{- $root := .root }}
{{- $roles := .spec.roles | default list }}
{{- $all := empty $roles }}
{{- $has := dict }}
{{- range list "preprocess" "inference" "sink" "sessions" "evaluation" "api" }}
{{- $_ := set $has . (or $all (has . $roles)) }}
{{- end }}
{{- $topics := $root.Values.kafka.topics }}
{{- $groups := list }}
{{- if $has.preprocess }}{{ $groups = append $groups (list "preprocess" $topics.events) }}{{ end }}
{{- if $has.inference }}{{ $groups = append $groups (list "inference" $topics.features) }}{{ end }}
{{- if $has.sink }}{{ $groups = append $groups (list "sink" $topics.predictions) }}{{ end }}
{{- if $root.Values.sessions.enabled }}
{{- if $has.sessions }}{{ $groups = append $groups (list "sessions" $topics.features) }}{{ end }}
{{- if $has.inference }}{{ $groups = append $groups (list "session-inference" $topics.sessions) }}{{ end }}
{{- if $has.sink }}{{ $groups = append $groups (list "session-sink" $topics.sessionPredictions) }}{{ end }}
{{- end }}
{{- $defaults := dict "replicas" $root.Values.replicaCount "resources" (deepCopy $root.Values.resources) "autoscaling" (deepCopy $root.Values.autoscaling) "keda" (deepCopy $root.Values.keda) "podDisruptionBudget" (deepCopy $root.Values.podDisruptionBudget) }}
{{- $own := omit (deepCopy .spec) "roles" }}
{{- $w := mustMergeOverwrite $defaults $own }}
{{- $name := include "stream-inference.fullname" $root }}
{{- if ne .key "all" }}{{ $name = printf "%s-%s" $name .key | trunc 63 | trimSuffix "-" }}{{ end }}
{{- $_ := set $w "name" $name }}
{{- $_ := set $w "roles" $roles }}
{{- $_ := set $w "api" $has.api }}
{{- $_ := set $w "groups" $groups }}
{{- $_ := set $w "transactional" (and (eq $root.Values.kafka.delivery "exactly-once") (or $has.preprocess $has.inference $has.sink)) }}
{{- toYaml $w }}
{{- end }}
