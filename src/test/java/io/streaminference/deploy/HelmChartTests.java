package io.streaminference.deploy;

import static io.streaminference.deploy.Chart.find;
import static io.streaminference.deploy.Yaml.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Helm chart as chart reviewers check it: strict lint, and assertions on what it renders. */
class HelmChartTests {

    private static final Path ALL_FEATURES = Chart.ciValues("all-features-values.yaml");
    private static final Path PER_STAGE = Chart.ciValues("per-stage-values.yaml");
    private static final Map<String, Object> APP = AppConfig.YAML;

    @ParameterizedTest
    @ValueSource(strings = {"default-values.yaml", "all-features-values.yaml", "per-stage-values.yaml"})
    void lintsStrictly(String values, @TempDir Path work) {
        LintResult result = Chart.lintStrict(Chart.ciValues(values), work);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void runsEachGroupOfRolesAsItsOwnWorkloadAndTransactionalStagesAsStatefulSets() {
        List<Map<String, Object>> manifests = Chart.render(PER_STAGE, Map.of());
        Map<String, String> kinds = new TreeMap<>();
        Map<String, String> roles = new TreeMap<>();
        for (Map<String, Object> m : manifests) {
            if ("StatefulSet".equals(m.get("kind")) || "Deployment".equals(m.get("kind"))) {
                kinds.put(at(m, "metadata.name"), (String) m.get("kind"));
                List<Map<String, Object>> env = at(m, "spec.template.spec.containers.0.env");
                roles.put(at(m, "metadata.name"), env.stream().filter(e -> "PIPELINE_ROLES".equals(e.get("name")))
                        .map(e -> (String) e.get("value")).findFirst().orElse(null));
            }
        }
        String name = "demo-stream-inference-";
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(name + "preprocess", "StatefulSet",
                name + "inference", "StatefulSet", name + "sink", "StatefulSet", name + "api", "Deployment"));
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(name + "preprocess", "preprocess,sessions",
                name + "inference", "inference", name + "sink", "sink,evaluation", name + "api", "api"));

        Map<String, Object> inference = workload(manifests, name + "inference");
        assertThat((Map<String, Object>) at(inference, "spec")).as("KEDA owns the replicas")
                .doesNotContainKey("replicas");
        assertThat((String) at(inference, "spec.serviceName")).isEqualTo("demo-stream-inference-pods");
        assertThat((String) at(inference, "spec.template.spec.containers.0.resources.requests.cpu")).isEqualTo("2");
        Map<String, Object> pods = manifests.stream().filter(m -> "Service".equals(m.get("kind"))
                && "demo-stream-inference-pods".equals(at(m, "metadata.name"))).findFirst().orElseThrow();
        assertThat((String) at(pods, "spec.clusterIP")).isEqualTo("None");

        // The API Service reaches the api workload's pods only.
        Map<String, Object> api = manifests.stream().filter(m -> "Service".equals(m.get("kind"))
                && "demo-stream-inference".equals(at(m, "metadata.name"))).findFirst().orElseThrow();
        Map<String, String> selector = at(api, "spec.selector");
        assertThat(kinds.keySet()).allSatisfy(workload -> {
            Map<String, String> labels = at(workload(manifests, workload), "spec.template.metadata.labels");
            assertThat(labels.entrySet().containsAll(selector.entrySet())).as(workload)
                    .isEqualTo(workload.endsWith("-api"));
        });

        // Each workload scales on its own consumer groups' lag, at most to the partition count.
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map<String, Object> m : manifests) {
            if ("ScaledObject".equals(m.get("kind"))) {
                List<Map<String, Object>> triggers = at(m, "spec.triggers");
                groups.put(at(m, "spec.scaleTargetRef.name"), triggers.stream()
                        .map(t -> (String) at(t, "metadata.consumerGroup")).toList());
                assertThat((Integer) at(m, "spec.maxReplicaCount")).isLessThanOrEqualTo(12);
                assertThat((String) at(m, "spec.scaleTargetRef.kind")).isEqualTo("StatefulSet");
            }
        }
        assertThat(groups).containsExactlyInAnyOrderEntriesOf(Map.of(
                name + "preprocess", List.of("stream-inference-preprocess", "stream-inference-sessions"),
                name + "inference", List.of("stream-inference-inference", "stream-inference-session-inference"),
                name + "sink", List.of("stream-inference-sink", "stream-inference-session-sink")));
        Map<String, Object> hpa = find(manifests, "HorizontalPodAutoscaler");
        assertThat((String) at(hpa, "spec.scaleTargetRef.name")).isEqualTo(name + "api");
        assertThat((String) at(hpa, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat(manifests.stream().filter(m -> "PodDisruptionBudget".equals(m.get("kind")))
                .map(m -> (String) at(m, "metadata.name"))).containsExactlyInAnyOrderElementsOf(kinds.keySet());
        assertThatThrownBy(() -> Chart.render(PER_STAGE, Map.of("workloads.api.roles[0]", "sink")))
                .hasMessageContaining("no workload has the api role");
    }

    private static Map<String, Object> workload(List<Map<String, Object>> manifests, String name) {
        return manifests.stream().filter(m -> name.equals(at(m, "metadata.name"))
                        && ("StatefulSet".equals(m.get("kind")) || "Deployment".equals(m.get("kind"))))
                .findFirst().orElseThrow();
    }

    @Test
    void keepsTwoInSyncReplicasOfEveryTopicTheAppCreatesFromAReplicationFactorOfThree() {
        Map<String, Object> config = appConfig(Chart.render(null, Map.of()));
        assertThat((Integer) at(config, "pipeline.topics.replication-factor")).isEqualTo(3);
        assertThat((Map<String, Object>) at(config, "spring.kafka.streams.properties"))
                .containsEntry("topic.min.insync.replicas", 2);
        Map<String, Object> single = appConfig(Chart.render(null, Map.of("kafka.replicationFactor", 1)));
        assertThat((Map<String, Object>) at(single, "spring.kafka.streams")).doesNotContainKey("properties");
    }

    @Test
    void runsUnderRestrictedPodSecurityWithWritableTmpOnly() {
        Map<String, Object> pod = at(find(Chart.render(null, Map.of()), "StatefulSet"), "spec.template.spec");
        Map<String, Object> container = at(pod, "containers.0");

        assertThat((Map<String, Object>) at(pod, "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat((Map<String, Object>) at(container, "securityContext"))
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("runAsNonRoot", true)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat((List<Map<String, Object>>) at(container, "volumeMounts"))
                .contains(Map.of("name", "tmp", "mountPath", "/tmp"))
                .contains(Map.of("name", "config", "mountPath", "/config", "readOnly", true));
        assertThat((List<Map<String, Object>>) at(pod, "volumes")).anySatisfy(volume -> {
            assertThat(volume).containsEntry("name", "tmp").containsKey("emptyDir");
        });
        assertThat(pod).containsEntry("automountServiceAccountToken", false);
        assertThat(container).doesNotContainKey("resources");
    }

    @Test
    void probesUseTheHealthGroupsAndGraceOutlastsTheShutdownPhases() {
        List<Map<String, Object>> manifests = Chart.render(null, Map.of());
        Map<String, Object> pod = at(find(manifests, "StatefulSet"), "spec.template.spec");
        Map<String, Object> container = at(pod, "containers.0");

        assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        // Probes go to the management port, where the app's actuator listens.
        assertThat(List.of(at(container, "livenessProbe.httpGet.port"), at(container, "startupProbe.httpGet.port"),
                at(container, "readinessProbe.httpGet.port"))).containsOnly("management");
        Integer managementPort = at(APP, "management.server.port");
        assertThat((List<Map<String, Object>>) at(container, "ports")).filteredOn(p -> "management".equals(p.get(
                "name"))).extracting(p -> p.get("containerPort")).containsExactly(managementPort);
        String phase = at(appConfig(manifests), "spring.lifecycle.timeout-per-shutdown-phase");
        int phaseSeconds = Integer.parseInt(phase.replace("s", ""));
        assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).isGreaterThan(2 * phaseSeconds + 5);
        assertThat((List<String>) at(container, "lifecycle.preStop.exec.command")).containsExactly("sleep", "5");
        // The probed groups exist in the app (their members follow pipeline.roles: RoleHealthGroups).
        assertThat((Boolean) at(APP, "management.endpoint.health.probes.enabled")).isTrue();
    }

    @Test
    void selectorLabelsStayTheSameAcrossUpgrades() {
        Map<String, Object> before = find(Chart.render(null, Map.of()), "StatefulSet");
        Map<String, Object> after = find(Chart.render(ALL_FEATURES, Map.of("image.tag", "9.9.9")), "StatefulSet");
        Map<String, Object> selector = at(before, "spec.selector.matchLabels");

        assertThat(selector).isEqualTo(Map.of("app.kubernetes.io/name", "stream-inference",
                "app.kubernetes.io/instance", Chart.RELEASE, "app.kubernetes.io/component", "all"));
        assertThat((Map<String, Object>) at(after, "spec.selector.matchLabels")).isEqualTo(selector);
        assertThat((Map<String, Object>) at(before, "spec.template.metadata.labels")).containsAllEntriesOf(selector);
        Map<String, Object> service = Chart.render(null, Map.of()).stream()
                .filter(m -> "Service".equals(m.get("kind")) && at(m, "metadata.name").equals(at(before, "metadata.name")))
                .findFirst().orElseThrow();
        assertThat((Map<String, Object>) at(before, "spec.template.metadata.labels"))
                .containsAllEntriesOf(at(service, "spec.selector"));
    }

    @Test
    void rendersNoSecretAndReadsCredentialsByReference() {
        List<Map<String, Object>> manifests = Chart.render(ALL_FEATURES, Map.of());
        Map<String, Object> container = at(find(manifests, "StatefulSet"), "spec.template.spec.containers.0");
        List<Map<String, Object>> env = at(container, "env");

        assertThat(manifests).noneMatch(m -> "Secret".equals(m.get("kind")));
        assertThat(env).filteredOn(e -> e.containsKey("valueFrom") && ((Map<?, ?>) e.get("valueFrom")).containsKey(
                "secretKeyRef")).extracting(e -> e.get("name"))
                .containsExactlyInAnyOrder("KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "SPRING_DATA_REDIS_PASSWORD",
                        "PIPELINE_API_KEYS", "PIPELINE_SECURITY_USERS_0_NAME", "PIPELINE_SECURITY_USERS_0_PASSWORD",
                        "PIPELINE_SECURITY_USERS_0_ROLES", "PIPELINE_SECURITY_USERS_1_NAME",
                        "PIPELINE_SECURITY_USERS_1_PASSWORD", "PIPELINE_SECURITY_USERS_1_ROLES");
        assertThat(env).noneMatch(e -> String.valueOf(e.get("value")).toLowerCase().contains("password"));
        Map<String, Object> kafkaProperties = at(appConfig(manifests), "spring.kafka.properties");
        String jaas = (String) kafkaProperties.get("sasl.jaas.config");
        assertThat(jaas).contains("${KAFKA_SASL_PASSWORD}").contains("ScramLoginModule");
        assertThat((Map<String, Object>) at(find(manifests, "StatefulSet"), "spec.template.metadata.annotations"))
                .containsKeys("checksum/config", "checksum/secret-kafka", "checksum/secret-redis", "checksum/secret-api");
    }

    @Test
    void rollsPodsWhenTheConfigurationChanges() {
        String before = at(find(Chart.render(null, Map.of()), "StatefulSet"),
                "spec.template.metadata.annotations.checksum/config");
        String after = at(find(Chart.render(null, Map.of("config.pipeline.sink.ttl", "1d")), "StatefulSet"),
                "spec.template.metadata.annotations.checksum/config");

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void defaultsAgreeWithTheAppsOwnConfiguration() {
        Map<String, Object> config = appConfig(Chart.render(null, Map.of()));

        for (String key : List.of("events", "features", "predictions", "sessions", "session-predictions",
                "labels", "evaluations", "shadow-predictions")) {
            assertThat((String) at(config, "pipeline.topics." + key)).isEqualTo(at(APP, "pipeline.topics." + key));
        }
        for (String key : List.of("enabled", "inactivity-gap", "grace", "emit-every")) {
            assertThat((Object) at(config, "pipeline.sessions." + key)).as(key)
                    .hasToString(String.valueOf((Object) at(APP, "pipeline.sessions." + key)));
        }
        assertThat((String) at(config, "spring.kafka.consumer.group-id"))
                .isEqualTo(at(APP, "spring.kafka.consumer.group-id"));
        assertThat((String) at(config, "pipeline.inference.models.events.name"))
                .isEqualTo(at(APP, "pipeline.inference.models.events.name"));
        assertThat((String) at(config, "pipeline.inference.deadline")).isEqualTo(at(APP, "pipeline.inference.deadline"));
        assertThat((String) at(config, "pipeline.kafka.delivery")).isEqualTo(at(APP, "pipeline.kafka.delivery"));
        // Scaled by pods on Kubernetes: one consumer per stage per pod (the app's own default suits one instance).
        assertThat((Integer) at(config, "spring.kafka.listener.concurrency")).isEqualTo(1);
        assertThat((Integer) at(config, "spring.data.redis.port")).isEqualTo(at(APP, "spring.data.redis.port"));
        assertThat((Integer) at(find(Chart.render(null, Map.of()), "StatefulSet"),
                "spec.template.spec.containers.0.ports.0.containerPort")).isEqualTo(at(APP, "server.port"));
    }

    @Test
    void reachesTheModelServerThroughAHeadlessServiceWithRoundRobin() {
        List<Map<String, Object>> manifests = Chart.render(null, Map.of());
        Map<String, Object> channel = at(appConfig(manifests), "grpc.client.tf-serving");
        Map<String, Object> headless = manifests.stream()
                .filter(m -> "Service".equals(m.get("kind")) && "None".equals(((Map<?, ?>) m.get("spec")).get("clusterIP")))
                .findFirst().orElseThrow();

        assertThat(channel).containsEntry("default-load-balancing-policy", "round_robin");
        assertThat((String) channel.get("address")).isEqualTo("dns:///" + at(headless, "metadata.name") + "."
                + Chart.NAMESPACE + ".svc.cluster.local:8500");
    }

    @Test
    void derivesTheTransactionalIdPrefixFromThePodName() {
        List<Map<String, Object>> env = at(find(Chart.render(null, Map.of()), "StatefulSet"),
                "spec.template.spec.containers.0.env");

        assertThat(env).contains(Map.of("name", "POD_NAME",
                "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))));
        assertThat(env).contains(Map.of("name", "PIPELINE_KAFKA_TRANSACTIONIDPREFIX", "value", "$(POD_NAME)-"));
    }

    @Test
    void scalesOnEachStagesConsumerLagUpToThePartitionCount() {
        List<Map<String, Object>> manifests = Chart.render(ALL_FEATURES, Map.of());
        Map<String, Object> scaledObject = find(manifests, "ScaledObject");
        List<Map<String, Object>> triggers = at(scaledObject, "spec.triggers");

        assertThat(triggers).extracting(t -> at(t, "metadata.topic"), t -> at(t, "metadata.consumerGroup"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.events"), "stream-inference-preprocess"),
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.features"), "stream-inference-inference"),
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.predictions"), "stream-inference-sink"),
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.features"),
                                at(APP, "spring.kafka.streams.application-id")),
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.sessions"),
                                "stream-inference-session-inference"),
                        org.assertj.core.groups.Tuple.tuple(at(APP, "pipeline.topics.session-predictions"),
                                "stream-inference-session-sink"));
        assertThat(triggers).allSatisfy(t -> {
            assertThat((String) at(t, "metadata.sasl")).isEqualTo("scram_sha512");
            assertThat((String) at(t, "authenticationRef.name")).isEqualTo(at(find(manifests, "TriggerAuthentication"),
                    "metadata.name"));
        });
        assertThat((Integer) at(scaledObject, "spec.maxReplicaCount")).isLessThanOrEqualTo(6);
        assertThat((String) at(scaledObject, "spec.scaleTargetRef.name"))
                .isEqualTo(at(find(manifests, "StatefulSet"), "metadata.name"));
        assertThat(manifests).noneMatch(m -> "HorizontalPodAutoscaler".equals(m.get("kind")));
        assertThat((Map<String, Object>) at(find(manifests, "StatefulSet"), "spec")).doesNotContainKey("replicas");
    }

    @Test
    void givesTheSessionStageAStateVolumeAndItsModelAndSettings() {
        List<Map<String, Object>> manifests = Chart.render(null, Map.of("sessions.inactivityGap", "10m",
                "sessions.emitEvery", 50));
        Map<String, Object> pod = at(find(manifests, "StatefulSet"), "spec.template.spec");
        Map<String, Object> config = appConfig(manifests);
        String stateDir = at(config, "spring.kafka.streams.state-dir");

        assertThat((List<Map<String, Object>>) at(pod, "containers.0.volumeMounts"))
                .contains(Map.of("name", "sessions-state", "mountPath", stateDir));
        assertThat((List<Map<String, Object>>) at(pod, "volumes")).contains(Map.of("name", "sessions-state",
                "emptyDir", Map.of("sizeLimit", "1Gi")));
        assertThat((String) at(config, "spring.kafka.streams.application-id"))
                .isEqualTo(at(APP, "spring.kafka.streams.application-id"));
        assertThat((String) at(config, "pipeline.inference.models.sessions.name"))
                .isEqualTo(at(APP, "pipeline.inference.models.sessions.name"));
        assertThat((Map<String, Object>) at(config, "pipeline.sessions")).containsEntry("inactivity-gap", "10m")
                .containsEntry("emit-every", 50).containsEntry("enabled", true);
        assertThatThrownBy(() -> Chart.render(null, Map.of("sessions.emitEvery", 1)))
                .hasMessageContaining("emitEvery");
    }

    @Test
    void refusesMoreReplicasThanPartitions() {
        assertThatThrownBy(() -> Chart.render(null, Map.of("keda.enabled", true, "keda.maxReplicaCount", 12)))
                .hasMessageContaining("keda.maxReplicaCount (12) x kafka.consumersPerStage (1) exceeds kafka.partitions (6)");
        assertThatThrownBy(() -> Chart.render(null, Map.of("keda.enabled", true, "kafka.consumersPerStage", 2)))
                .hasMessageContaining("exceeds kafka.partitions");
        assertThatThrownBy(() -> Chart.render(null, Map.of("keda.enabled", true, "autoscaling.enabled", true)))
                .hasMessageContaining("enable one");
        assertThatThrownBy(() -> Chart.render(null, Map.of("kafka.sasl.enabled", true)))
                .hasMessageContaining("kafka.sasl.existingSecret");
    }

    @Test
    void limitsEgressToKafkaRedisModelServerAndDns() {
        Map<String, Object> policy = find(Chart.render(ALL_FEATURES, Map.of()), "NetworkPolicy");
        List<Map<String, Object>> egress = at(policy, "spec.egress");

        assertThat(egress).extracting(rule -> ((List<Map<String, Object>>) rule.get("ports")).stream()
                .map(p -> p.get("port")).toList())
                .containsExactly(List.of(9093), List.of(6379), List.of(8500), List.of(53, 53), List.of(4318));
        assertThat((List<String>) at(policy, "spec.policyTypes")).containsExactly("Ingress", "Egress");
    }

    @Test
    void leavesOptionalFeaturesOffByDefault() {
        List<Map<String, Object>> manifests = Chart.render(null, Map.of());

        assertThat(manifests).extracting(m -> m.get("kind")).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap",
                "Service", "Service", "Service", "StatefulSet", "NetworkPolicy");
    }

    @Test
    void talksMutualTlsToTheModelServerWithItsCertificatesFromASecret() {
        List<Map<String, Object>> manifests = Chart.render(ALL_FEATURES, Map.of());
        Map<String, Object> grpc = at(appConfig(manifests), "grpc.client.tf-serving");
        String dir = "/etc/stream-inference/tls/model-server";

        assertThat(grpc).containsEntry("negotiation-type", "TLS");
        assertThat((Map<String, Object>) grpc.get("security")).containsEntry("trust-cert-collection", "file:" + dir
                + "/ca.crt").containsEntry("client-auth-enabled", true).containsEntry("certificate-chain", "file:"
                + dir + "/tls.crt").containsEntry("private-key", "file:" + dir + "/tls.key");
        Map<String, Object> pod = at(find(manifests, "StatefulSet"), "spec.template.spec");
        assertThat((List<Map<String, Object>>) pod.get("volumes")).anySatisfy(volume -> assertThat(volume)
                .containsEntry("name", "model-server-tls").containsEntry("secret", Map.of("secretName",
                        "model-server-client-tls", "defaultMode", 288)));
        assertThat((List<Map<String, Object>>) at(pod, "containers.0.volumeMounts")).anySatisfy(mount -> assertThat(
                mount).containsEntry("mountPath", dir).containsEntry("readOnly", true));
        assertThat((Map<String, Object>) at(appConfig(Chart.render(null, Map.of())), "grpc.client.tf-serving"))
                .as("plaintext unless asked").doesNotContainKey("security");
    }

    @Test
    void talksSaslSslToKafkaWithTheCaFromASecretAndRefusesPlainPasswordsInTheClear() {
        List<Map<String, Object>> manifests = Chart.render(ALL_FEATURES, Map.of());
        Map<String, Object> config = appConfig(manifests);

        assertThat((String) at(config, "spring.kafka.ssl.bundle")).isEqualTo("kafka");
        assertThat((Map<String, Object>) at(config, "spring.kafka.properties")).containsEntry("security.protocol",
                "SASL_SSL");
        assertThat((String) at(config, "spring.ssl.bundle.pem.kafka.truststore.certificate")).isEqualTo(
                "file:/etc/stream-inference/tls/kafka/ca.crt");
        assertThat((List<Map<String, Object>>) at(find(manifests, "StatefulSet"), "spec.template.spec.volumes"))
                .anySatisfy(volume -> assertThat(volume).containsEntry("secret", Map.of("secretName", "kafka-ca",
                        "defaultMode", 288)));
        assertThat((String) at(appConfig(Chart.render(null, Map.of("kafka.tls.enabled", true,
                "kafka.tls.existingSecret", "kafka-ca"))), "spring.kafka.security.protocol")).isEqualTo("SSL");
        assertThatThrownBy(() -> Chart.render(null, Map.of("kafka.sasl.enabled", true, "kafka.sasl.existingSecret",
                "k", "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.securityProtocol", "SASL_PLAINTEXT")))
                .hasMessageContaining("in the clear");
    }

    @Test
    void talksTlsToRedisAsAnAclUserWithTheCaFromASecret() {
        List<Map<String, Object>> manifests = Chart.render(ALL_FEATURES, Map.of());
        Map<String, Object> config = appConfig(manifests);

        assertThat((Map<String, Object>) at(config, "spring.data.redis")).containsEntry("username", "pipeline")
                .containsEntry("ssl", Map.of("enabled", true, "bundle", "redis"));
        assertThat((String) at(config, "spring.ssl.bundle.pem.redis.truststore.certificate")).isEqualTo(
                "file:/etc/stream-inference/tls/redis/ca.crt");
        assertThat((List<Map<String, Object>>) at(find(manifests, "StatefulSet"), "spec.template.spec.volumes"))
                .anySatisfy(volume -> assertThat(volume).containsEntry("secret", Map.of("secretName", "redis-ca",
                        "defaultMode", 288)));
        assertThat((Map<String, Object>) at(appConfig(Chart.render(null, Map.of())), "spring.data.redis"))
                .as("plaintext unless asked").doesNotContainKey("ssl");
    }

    @Test
    void letsOnlyTheConfiguredPeersReachTheManagementPortAndKeepsTheApiClosed() {
        List<Map<String, Object>> manifests = Chart.render(null, Map.of());
        List<Map<String, Object>> ingress = at(find(manifests, "NetworkPolicy"), "spec.ingress");

        assertThat(ingress).extracting(rule -> ((List<Map<String, Object>>) rule.get("ports")).get(0).get("port"))
                .containsExactly("http", "management");
        assertThat(ingress.get(0)).as("the API authenticates its callers").doesNotContainKey("from");
        assertThat((List<Map<String, Object>>) ingress.get(1).get("from")).containsExactly(Map.of("namespaceSelector",
                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))));
        assertThatThrownBy(() -> Chart.render(null, Map.of("networkPolicy.managementFrom", "{}")))
                .hasMessageContaining("managementFrom");
        List<Map<String, Object>> env = at(find(manifests, "StatefulSet"), "spec.template.spec.containers.0.env");
        assertThat(env).contains(Map.of("name", "PIPELINE_API_OPEN", "value", "false"),
                Map.of("name", "PIPELINE_SECURITY_METRICS_OPEN", "value", "false"));

        Map<String, Object> monitor = find(Chart.render(ALL_FEATURES, Map.of()), "ServiceMonitor");
        assertThat((String) at(monitor, "spec.endpoints.0.port")).isEqualTo("management");
        assertThat((String) at(monitor, "spec.endpoints.0.basicAuth.password.name")).isEqualTo(
                "stream-inference-scraper");
    }

    @Test
    void shipsTheGrafanaDashboardForTheSidecar() throws Exception {
        Map<String, Object> configMap = configMapWith(Chart.render(ALL_FEATURES, Map.of()), "stream-inference.json");

        assertThat((Map<String, Object>) at(configMap, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        Map<?, ?> dashboard = new ObjectMapper().readValue((String) ((Map<?, ?>) configMap.get("data")).get("stream-inference.json"),
                Map.class);
        assertThat(dashboard.get("title")).isEqualTo("stream-inference");
    }

    private static Map<String, Object> appConfig(List<Map<String, Object>> manifests) {
        Map<String, Object> configMap = configMapWith(manifests, "application.yml");
        return Yaml.load((String) ((Map<?, ?>) configMap.get("data")).get("application.yml"));
    }

    private static Map<String, Object> configMapWith(List<Map<String, Object>> manifests, String dataKey) {
        return manifests.stream()
                .filter(m -> "ConfigMap".equals(m.get("kind")) && ((Map<?, ?>) m.get("data")).containsKey(dataKey))
                .findFirst().orElseThrow(() -> new AssertionError("No ConfigMap with " + dataKey));
    }
}
