package io.streaminference.query;

import io.streaminference.inference.ServedModels;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The models the pipeline scores with, and the versions the model server serves of each. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelController {

    private final ServedModels models;

    ModelController(ServedModels models) {
        this.models = models;
    }

    @Operation(summary = "Each configured model: its pinned version or label, and the versions served with their state")
    @GetMapping("/models")
    List<ServedModels.Served> models() {
        return models.models();
    }
}
