package io.streaminference.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotsTests {

    @Test
    void ratesAreDifferencesOverTheElapsedTimeAndStagesComeInPipelineOrder() {
        Reading before = reading(1_000, Map.of("in|sink", 100.0, "in|preprocess", 1_000.0));
        Reading now = reading(3_000, Map.of("in|sink", 300.0, "in|preprocess", 1_600.0));

        LiveSnapshot snapshot = Snapshots.of(now, before, before, before, Map.of("sink", 7L), Map.of());

        assertThat(snapshot.stages()).extracting(LiveSnapshot.Stage::stage).containsExactly("preprocess", "sink");
        assertThat(snapshot.stages().get(0).perSecond()).isEqualTo(300.0);
        assertThat(snapshot.stages().get(1).perSecond()).isEqualTo(100.0);
        assertThat(snapshot.stages().get(1).consumed()).isEqualTo(300);
        assertThat(snapshot.stages().get(1).lag()).isEqualTo(7L);
        assertThat(snapshot.stages().get(0).lag()).isNull();
    }

    @Test
    void aPausedStageSaysSoAndListenersThatAreNotStagesStayOffThePage() {
        Reading now = reading(1_000, Map.of("in|inference", 5.0));

        LiveSnapshot snapshot = Snapshots.of(now, now, now, now, Map.of("inference", 0L, "dead-letter-log", 3L),
                Map.of("inference", "paused"));

        assertThat(snapshot.stages()).singleElement().satisfies(stage -> {
            assertThat(stage.stage()).isEqualTo("inference");
            assertThat(stage.state()).isEqualTo("paused");
        });
    }

    @Test
    void latencyPercentilesComeFromTheBucketsFilledInTheWindow() {
        // Cumulative buckets: before the window 1,000 fast records; in it 99 at <= 100 ms and 1 at <= 800 ms.
        Reading before = reading(0, Map.of("lat|50", 1_000.0, "lat|100", 1_000.0, "lat|800", 1_000.0,
                "lat|count", 1_000.0));
        Reading now = reading(10_000, Map.of("lat|50", 1_000.0, "lat|100", 1_099.0, "lat|800", 1_100.0,
                "lat|count", 1_100.0));

        LiveSnapshot.Latency latency = Snapshots.latency(now, before);

        assertThat(latency.p50Ms()).isEqualTo(100);
        assertThat(latency.p99Ms()).isEqualTo(100);
        assertThat(latency.count()).isEqualTo(100);
        assertThat(Snapshots.latency(before, before)).isNull();
    }

    @Test
    void scoreHistogramCountsEachTenthAndLabelsSplitPerModelVersion() {
        Map<String, Double> earlier = new HashMap<>();
        Map<String, Double> later = new HashMap<>();
        String prefix = "score|inference|clickstream-bot|2|";
        for (int i = 1; i <= 10; i++) {
            earlier.put(prefix + (i * 10.0), 0.0);
            // 3 scores in (0, 0.1], 1 in (0.9, 1]
            later.put(prefix + (i * 10.0), i < 10 ? 3.0 : 4.0);
        }
        later.put("pred|inference|clickstream-bot|2|human", 3.0);
        later.put("pred|inference|clickstream-bot|2|bot", 1.0);

        LiveSnapshot snapshot = Snapshots.of(reading(61_000, later), reading(60_000, earlier),
                reading(60_000, earlier), reading(1_000, earlier), Map.of(), Map.of());

        assertThat(snapshot.models()).singleElement().satisfies(model -> {
            assertThat(model.version()).isEqualTo("2");
            assertThat(model.histogram()).containsExactly(3, 0, 0, 0, 0, 0, 0, 0, 0, 1);
            assertThat(model.labels()).containsEntry("human", 3L).containsEntry("bot", 1L);
        });
    }

    private static Reading reading(long at, Map<String, Double> values) {
        return new Reading(at, values);
    }
}
