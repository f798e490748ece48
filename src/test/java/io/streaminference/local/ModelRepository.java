package io.streaminference.local;

import io.grpc.Status;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * SavedModels under a TF Serving-style base path, {@code <base>/<model>/<version>/saved_model.pb}, re-scanned
 * periodically: a newly exported version is loaded and served without restart, a removed one is unloaded, as TF
 * Serving's file-system source does. Optional {@code <base>/<model>/labels.properties} maps labels to versions
 * ({@code stable=1}); stock TF Serving ignores that file. Once a {@link #reload} has set a configuration, it decides
 * which models and versions are served and their labels, as in TF Serving.
 */
final class ModelRepository implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);
    /** How long an unloaded version stays open for calls that already resolved it. */
    private static final long UNLOAD_GRACE_SECONDS = 30;

    record Versions(NavigableMap<Long, ServedModel> byVersion, Map<String, Long> labels) {
    }

    private final Path base;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "model-repository-poller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<String, Versions> models = Map.of();
    /** The configuration the last HandleReloadConfigRequest set; null until one came (every model dir, all versions). */
    private volatile Map<String, ModelConfig> config;

    ModelRepository(Path base, Duration pollInterval) {
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException("Model base path " + base.toAbsolutePath() + " is not a directory");
        }
        this.base = base;
        scan();
        poller.scheduleWithFixedDelay(this::scanSafely, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    Map<String, Versions> models() {
        return models;
    }

    /** Resolves a ModelSpec with TF Serving's rules and status codes. */
    ServedModel resolve(ModelSpec spec) {
        Versions versions = models.get(spec.getName());
        if (versions == null || versions.byVersion().isEmpty()) {
            throw Status.NOT_FOUND.withDescription("Servable not found for request: Latest(" + spec.getName() + ")")
                    .asRuntimeException();
        }
        return switch (spec.getVersionChoiceCase()) {
            case VERSION -> {
                ServedModel model = versions.byVersion().get(spec.getVersion().getValue());
                if (model == null) {
                    throw Status.NOT_FOUND.withDescription("Servable not found for request: Specific("
                            + spec.getName() + ", " + spec.getVersion().getValue() + ")").asRuntimeException();
                }
                yield model;
            }
            case VERSION_LABEL -> {
                Long version = versions.labels().get(spec.getVersionLabel());
                if (version == null || !versions.byVersion().containsKey(version)) {
                    throw Status.INVALID_ARGUMENT.withDescription("Unrecognized servable version label: "
                            + spec.getVersionLabel()).asRuntimeException();
                }
                yield versions.byVersion().get(version);
            }
            default -> versions.byVersion().lastEntry().getValue();
        };
    }

    private void scanSafely() {
        try {
            scan();
        } catch (UncheckedIOException e) {
            log.warn("Could not scan model base path {}: {}", base, e.getMessage());
        }
    }

    /**
     * Replaces the served configuration as TF Serving's {@code HandleReloadConfigRequest} does: the list is the whole
     * truth (a model left out is unloaded), each model's version policy decides which of its versions on disk are
     * served, and its labels replace the old ones — a label may only point at a version that will be served.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a malformed config, NOT_FOUND for a model with no
     *                                        directory under the base path, FAILED_PRECONDITION for a label on a
     *                                        version that is not served; nothing changes then
     */
    synchronized void reload(ModelServerConfig request) {
        if (request.getConfigCase() != ModelServerConfig.ConfigCase.MODEL_CONFIG_LIST) {
            throw Status.INVALID_ARGUMENT.withDescription("ModelServerConfig has no model_config_list")
                    .asRuntimeException();
        }
        Map<String, ModelConfig> next = new HashMap<>();
        for (ModelConfig model : request.getModelConfigList().getConfigList()) {
            if (model.getName().isEmpty() || next.containsKey(model.getName())) {
                throw Status.INVALID_ARGUMENT.withDescription("Illegal to list model " + model.getName()
                        + " multiple times, or without a name").asRuntimeException();
            }
            if (!model.getModelPlatform().isEmpty() && !model.getModelPlatform().equals("tensorflow")) {
                throw Status.INVALID_ARGUMENT.withDescription("Model platform " + model.getModelPlatform()
                        + " of model " + model.getName() + " is not supported").asRuntimeException();
            }
            Path dir = base.resolve(model.getName());
            if (!Files.isDirectory(dir)) {
                throw Status.NOT_FOUND.withDescription("Could not find base path " + model.getBasePath()
                        + " for servable " + model.getName()).asRuntimeException();
            }
            var served = chosen(model, onDisk(dir));
            model.getVersionLabelsMap().forEach((label, version) -> {
                if (!served.contains(version)) {
                    throw Status.FAILED_PRECONDITION.withDescription("Request to assign label to version "
                            + version + " of model " + model.getName()
                            + ", which is not currently available for inference").asRuntimeException();
                }
            });
            next.put(model.getName(), model);
        }
        config = Map.copyOf(next);
        scan();
    }

    synchronized void scan() {
        Map<String, Versions> next = new HashMap<>();
        Map<String, ModelConfig> configured = config;
        for (Path modelDir : list(base)) {
            if (!Files.isDirectory(modelDir)) {
                continue;
            }
            String name = modelDir.getFileName().toString();
            ModelConfig model = configured == null ? null : configured.get(name);
            if (configured != null && model == null) {
                continue;
            }
            Versions current = models.get(name);
            NavigableMap<Long, ServedModel> versions = new TreeMap<>();
            java.util.Set<Long> served = model == null ? null : chosen(model, onDisk(modelDir));
            for (Path versionDir : list(modelDir)) {
                Long version = version(versionDir);
                if (version == null || !Files.isRegularFile(versionDir.resolve("saved_model.pb"))
                        || (served != null && !served.contains(version))) {
                    continue;
                }
                ServedModel loaded = current == null ? null : current.byVersion().get(version);
                if (loaded == null) {
                    loaded = load(name, version, versionDir);
                }
                if (loaded != null) {
                    versions.put(version, loaded);
                }
            }
            next.put(name, new Versions(Collections.unmodifiableNavigableMap(versions),
                    model == null ? labels(modelDir) : Map.copyOf(model.getVersionLabelsMap())));
        }
        Map<String, Versions> previous = models;
        models = Map.copyOf(next);
        previous.forEach((name, versions) -> versions.byVersion().forEach((version, model) -> {
            Versions still = next.get(name);
            if (still == null || still.byVersion().get(version) != model) {
                log.info("Unloading model {} version {}", name, version);
                poller.schedule(model::close, UNLOAD_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        }));
    }

    /** The versions with a SavedModel in a model's directory. */
    private static java.util.TreeSet<Long> onDisk(Path modelDir) {
        java.util.TreeSet<Long> versions = new java.util.TreeSet<>();
        for (Path versionDir : list(modelDir)) {
            Long version = version(versionDir);
            if (version != null && Files.isRegularFile(versionDir.resolve("saved_model.pb"))) {
                versions.add(version);
            }
        }
        return versions;
    }

    /** What a version policy serves of the versions on disk: TF Serving's default is the latest one. */
    private static java.util.Set<Long> chosen(ModelConfig model, java.util.TreeSet<Long> onDisk) {
        var policy = model.getModelVersionPolicy();
        return switch (policy.getPolicyChoiceCase()) {
            case ALL -> onDisk;
            case SPECIFIC -> {
                java.util.Set<Long> specific = new java.util.TreeSet<>(policy.getSpecific().getVersionsList());
                specific.retainAll(onDisk);
                yield specific;
            }
            case LATEST, POLICYCHOICE_NOT_SET -> {
                int count = Math.max(1, policy.getLatest().getNumVersions());
                yield new java.util.TreeSet<>(onDisk.descendingSet().stream().limit(count).toList());
            }
        };
    }

    private static ServedModel load(String name, long version, Path directory) {
        try {
            ServedModel model = new ServedModel(name, version, directory);
            log.info("Serving model {} version {} from {}", name, version, directory);
            return model;
        } catch (RuntimeException e) {
            // Often an export still being written; the next scan tries again.
            log.warn("Could not load model {} version {} from {}: {}", name, version, directory, e.getMessage());
            return null;
        }
    }

    private static Map<String, Long> labels(Path modelDir) {
        Path file = modelDir.resolve("labels.properties");
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Long> labels = new HashMap<>();
        properties.forEach((label, version) -> {
            try {
                labels.put(label.toString(), Long.parseLong(version.toString().trim()));
            } catch (NumberFormatException e) {
                log.warn("Ignoring label {} in {}: '{}' is not a version number", label, file, version);
            }
        });
        return Map.copyOf(labels);
    }

    private static Long version(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(name);
    }

    private static Iterable<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        models.values().forEach(v -> v.byVersion().values().forEach(ServedModel::close));
        models = Map.of();
    }
}
