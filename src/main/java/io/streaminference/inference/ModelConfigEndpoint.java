package io.streaminference.inference;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * Actuator endpoint {@code modelconfig}: {@code POST /actuator/modelconfig} with {@code {"config": "<ModelServerConfig
 * in text format>"}} — the format of TF Serving's {@code --model_config_file} — hands it to the model server through
 * its own {@code ModelService.HandleReloadConfigRequest}: which versions it serves and their labels. Promoting or
 * rolling back is moving a label; a stage pinned to a label ({@code pipeline.inference.models.*.version-label})
 * follows at its next request, without a restart, and every prediction records the version that answered. The list
 * replaces the server's whole configuration, so it names every model. For operators only: it is on the management
 * port.
 */
@ConditionalOnRole(Role.INFERENCE)
@Component
@Endpoint(id = "modelconfig")
class ModelConfigEndpoint {

    private static final Logger log = LoggerFactory.getLogger(ModelConfigEndpoint.class);
    /** Loading a version can take seconds; a reload is rare and an operator waits for it. */
    static final long DEADLINE_SECONDS = 30;

    private final TfServingStubs stubs;
    private final ServedModels served;

    ModelConfigEndpoint(TfServingStubs stubs, ServedModels served) {
        this.stubs = stubs;
        this.served = served;
    }

    /** @return what the model server accepted: per model, its version policy and labels */
    @WriteOperation
    Map<String, Object> reload(String config) {
        ModelServerConfig parsed;
        try {
            parsed = ModelServerConfigs.parse(config);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "config is not a ModelServerConfig listing a "
                    + "model");
        }
        try {
            stubs.models().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(parsed).build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            String detail = "The model server refused the configuration (" + code + "): "
                    + e.getStatus().getDescription();
            HttpStatus status = switch (code) {
                case INVALID_ARGUMENT, NOT_FOUND -> HttpStatus.BAD_REQUEST;
                case FAILED_PRECONDITION, ALREADY_EXISTS -> HttpStatus.CONFLICT;
                default -> HttpStatus.SERVICE_UNAVAILABLE;
            };
            throw new ResponseStatusException(status, detail);
        }
        served.forget();
        Map<String, Object> models = ModelServerConfigs.summary(parsed);
        log.info("Model server configuration reloaded: {}", models);
        return Map.of("applied", true, "models", models);
    }
}
