package io.streaminference.query;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streaminference.contract.Prediction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

// The controller's answers; who may ask is SecurityIntegrationTests' concern.
@WebMvcTest(PredictionController.class)
@org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc(addFilters = false)
class PredictionControllerTests {

    private static final Prediction PREDICTION = Prediction.newBuilder().setEventId("evt-1").setEntityKey("user-1")
            .addScores(0.875f).setLabel("bot").setModelName("clickstream-bot").setModelVersion(3)
            .setEventTimeMs(1_767_225_600_000L).setPredictedAtMs(1_767_225_601_500L).build();

    @Autowired
    MockMvc mvc;
    @MockitoBean
    StoredReader<Prediction> reader;

    @Test
    void servesAStoredPredictionAsSnakeCaseJson() throws Exception {
        given(reader.find("evt-1")).willReturn(Optional.of(PREDICTION));
        mvc.perform(get("/api/v1/predictions/evt-1"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.event_id").value("evt-1"))
                .andExpect(jsonPath("$.entity_key").value("user-1"))
                .andExpect(jsonPath("$.score").value(0.875))
                .andExpect(jsonPath("$.label").value("bot"))
                .andExpect(jsonPath("$.model_name").value("clickstream-bot"))
                .andExpect(jsonPath("$.model_version").value(3))
                .andExpect(jsonPath("$.event_time").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.predicted_at").value("2026-01-01T00:00:01.500Z"));
    }

    @Test
    void answersAnUnknownEventWithNotFoundProblem() throws Exception {
        given(reader.find("evt-2")).willReturn(Optional.empty());
        mvc.perform(get("/api/v1/predictions/evt-2"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail").value("No prediction stored for event evt-2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad id", "bad!id", "x12345678901234567890123456789012345678901234567890123456789012345678"
            + "901234567890123456789012345678901234567890123456789012345678901234567890"})
    void rejectsInvalidEventIdsWithBadRequestProblem(String id) throws Exception {
        mvc.perform(get("/api/v1/predictions/{id}", id))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("eventId must be 1-128 characters of [A-Za-z0-9._:-]"));
    }

    @Test
    void listsAnEntitysNewestPredictionsWithTheDefaultLimit() throws Exception {
        given(reader.newestForEntity("user-1", 20)).willReturn(List.of(PREDICTION));
        mvc.perform(get("/api/v1/entities/user-1/predictions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entity_key").value("user-1"))
                .andExpect(jsonPath("$.predictions[0].event_id").value("evt-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc"})
    void rejectsLimitsOutsideOneToAThousandWithBadRequestProblem(String limit) throws Exception {
        mvc.perform(get("/api/v1/entities/user-1/predictions").param("limit", limit))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400));
    }

    @Test
    void answersAnUnreachableStoreWithServiceUnavailableProblemWithoutInternals() throws Exception {
        given(reader.newestForEntity(anyString(), anyInt()))
                .willThrow(new RedisConnectionFailureException("Unable to connect to 10.0.0.1:6379"));
        mvc.perform(get("/api/v1/entities/user-1/predictions"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Try again shortly."));
    }
}
