package io.streaminference.query;

import io.streaminference.evaluation.EvaluationWindows;
import io.streaminference.evaluation.OnlineMetrics;
import io.streaminference.inference.ServedModels;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The models the pipeline scores with, the versions the model server serves of each, and how each does online. */
@ConditionalOnRole(value = {Role.API, Role.INFERENCE}, all = true)
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelController {

    private static final int MAX_NAME_LENGTH = 200;

    private final ServedModels models;
    private final ObjectProvider<EvaluationWindows> evaluations;

    ModelController(ServedModels models, ObjectProvider<EvaluationWindows> evaluations) {
        this.models = models;
        this.evaluations = evaluations;
    }

    @Operation(summary = "Each configured model: its pinned version or label, and the versions served with their state")
    @GetMapping("/models")
    List<ServedModels.Served> models() {
        return models.models();
    }

    @Operation(summary = "A model's versions: state on the model server and online evaluation on labelled traffic "
            + "(accuracy, ROC AUC, log loss, score histogram over the last pipeline.evaluation.window-size)")
    @GetMapping("/models/{name}/versions")
    ModelVersionsView versions(@PathVariable String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(ModelController::nameChar)) {
            throw new InvalidRequestException("name must be 1-" + MAX_NAME_LENGTH
                    + " characters of letters, digits, '.', '_' and '-'");
        }
        ServedModels.Served served = models.models().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElse(null);
        EvaluationWindows windows = evaluations.getIfAvailable();
        SortedMap<Long, OnlineMetrics> evaluated = windows == null ? new java.util.TreeMap<>() : windows.versions(name);
        if (served == null && evaluated.isEmpty()) {
            throw NotFoundException.model(name);
        }
        Map<String, String> states = served == null ? Map.of() : served.versions();
        TreeSet<Long> versions = new TreeSet<>(evaluated.keySet());
        states.keySet().forEach(version -> versions.add(Long.parseLong(version)));
        List<ModelVersionsView.Version> rows = new ArrayList<>();
        for (long version : versions.descendingSet()) {
            boolean labelled = served != null && served.labelVersion() != null && served.labelVersion() == version;
            rows.add(new ModelVersionsView.Version(version, states.get(Long.toString(version)),
                    labelled ? List.of(served.pinnedLabel()) : List.of(), evaluated.get(version)));
        }
        return new ModelVersionsView(name, served == null ? null : served.pinnedVersion(),
                served == null ? null : served.pinnedLabel(), served == null ? null : served.labelVersion(), rows,
                served == null ? null : served.error());
    }

    private static boolean nameChar(int c) {
        return Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-';
    }
}
