package io.streaminference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.topics.TopicsProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;

/**
 * What the session tests demand of s1-sessions and s2-sessions after a run (read_committed, from the beginning):
 * every session of the reference exactly once, each summary equal to the reference's, each prediction the one the
 * deterministic test model gives for it — and nothing else.
 */
public final class SessionAssertions {

    private SessionAssertions() {
    }

    public static void assertExactlyOnce(String bootstrapServers, TopicsProperties topics,
            Map<String, SessionFeatures> reference) {
        Map<String, List<SessionFeatures>> sessions = SessionTraffic.finalSessions(KafkaTestClients.readAll(
                bootstrapServers, topics.sessions(), reference.size(), Duration.ofMinutes(3), Duration.ofSeconds(2)));
        assertThat(sessions).as("sessions more than once in " + topics.sessions())
                .allSatisfy((id, copies) -> assertThat(copies).as(id).hasSize(1));
        assertThat(sessions.keySet()).as("sessions in %s; unexpected ones, each with the reference's sessions of its "
                        + "entity: %s", topics.sessions(), unexpected(sessions, reference))
                .containsExactlyInAnyOrderElementsOf(reference.keySet());
        sessions.forEach((id, copies) -> assertThat(copies.get(0)).as(id).isEqualTo(reference.get(id)));

        Map<String, List<SessionPrediction>> predictions = SessionTraffic.predictions(KafkaTestClients.readAll(
                bootstrapServers, topics.sessionPredictions(), reference.size(), Duration.ofMinutes(3),
                Duration.ofSeconds(2)));
        assertThat(predictions).as("session predictions more than once in " + topics.sessionPredictions())
                .allSatisfy((id, copies) -> assertThat(copies).as(id).hasSize(1));
        assertThat(predictions.keySet()).as("session predictions in " + topics.sessionPredictions())
                .containsExactlyInAnyOrderElementsOf(reference.keySet());
        predictions.forEach((id, copies) -> {
            SessionPrediction prediction = copies.get(0);
            assertThat(prediction.getModelName()).isEqualTo(SigmoidModelServer.SESSION_MODEL);
            assertThat(prediction.getEventCount()).isEqualTo(reference.get(id).getEventCount());
            assertThat(prediction.getScores(0)).as(id)
                    .isCloseTo(SigmoidModelServer.score(values(reference.get(id))), Offset.offset(1e-6f));
        });
    }

    private static String unexpected(Map<String, List<SessionFeatures>> sessions,
            Map<String, SessionFeatures> reference) {
        return sessions.entrySet().stream().filter(entry -> !reference.containsKey(entry.getKey()))
                .map(entry -> describe(entry.getValue().get(0)) + " vs " + reference.values().stream()
                        .filter(r -> r.getEntityKey().equals(entry.getValue().get(0).getEntityKey()))
                        .map(SessionAssertions::describe).toList())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static String describe(SessionFeatures session) {
        return session.getEntityKey() + " [" + session.getStartMs() + ", " + session.getEndMs() + "] "
                + session.getEventCount() + " events" + (session.getFinal() ? "" : " (early)");
    }

    public static float[] values(SessionFeatures session) {
        float[] values = new float[session.getValuesCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = session.getValues(i);
        }
        return values;
    }
}
