package io.streaminference.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionSchema;
import io.streaminference.contract.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionMathTests {

    static final long T0 = 1_767_225_600_000L;

    @Test
    void getsTheSameStateWhateverOrderItsEventsArriveIn() {
        List<Features> events = events(300, 1_000, new Random(1));
        SessionState inOrder = addAll(events);
        List<Features> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(2));
        assertThat(addAll(shuffled)).isEqualTo(inOrder);

        SessionState left = addAll(events.subList(0, 120));
        SessionState right = addAll(events.subList(120, 300));
        assertThat(SessionMath.merge(left, right)).isEqualTo(inOrder);
        assertThat(SessionMath.merge(right, left)).isEqualTo(inOrder);
    }

    @Test
    void staysBoundedHoweverLongTheSession() {
        SessionState state = addAll(events(10_000, 100, new Random(3)));
        assertThat(state.getEventCount()).isEqualTo(10_000);
        assertThat(state.getEarliestMsCount()).isEqualTo(SessionMath.EARLIEST_KEPT);
        assertThat(state.getSerializedSize()).isLessThan(4_096);
    }

    @Test
    void tellsMachineRegularTimingFromHumanThinkTime() {
        float[] regular = SessionMath.features(addAll(events(50, 800, null)));
        float[] human = SessionMath.features(addAll(events(50, 8_000, new Random(4))));
        int cv = SessionSchema.NAMES.indexOf("gap_cv");
        assertThat(regular[cv]).isCloseTo(0f, within(1e-6f));
        assertThat(human[cv]).as("coefficient of variation ~0.5, scaled by 1/5").isGreaterThan(0.05f);
    }

    @Test
    void estimatesTheShareOfDistinctPaths() {
        List<Features> distinct = events(200, 1_000, null);
        List<Features> same = distinct.stream().map(e -> e.toBuilder().setPathHash(42).build()).toList();
        int ratio = SessionSchema.NAMES.indexOf("distinct_path_ratio");
        assertThat(SessionMath.features(addAll(distinct))[ratio]).isCloseTo(1f, within(0.05f));
        assertThat(SessionMath.features(addAll(same))[ratio]).isCloseTo(1f / 200, within(0.002f));
    }

    @Test
    void cutsOfflineSessionsWhereTheGapIsLongerThanTheInactivityGap() {
        List<Features> events = new ArrayList<>(events(3, 1_000, null));
        events.add(event(events.size(), T0 + 2_000 + 61_000));
        List<SessionFeatures> sessions = OfflineSessions.of(events, Duration.ofSeconds(60));
        assertThat(sessions).extracting(SessionFeatures::getEventCount).containsExactly(3, 1);
        assertThat(sessions).allSatisfy(s -> assertThat(s.getValuesCount()).isEqualTo(SessionSchema.SIZE));
    }

    private static SessionState addAll(List<Features> events) {
        SessionState state = SessionMath.empty();
        for (Features event : events) {
            state = SessionMath.add(state, event);
        }
        return state;
    }

    /** {@code n} events of user u, {@code gapMs} apart (jittered when {@code random} is given), path i each. */
    private static List<Features> events(int n, long gapMs, Random random) {
        List<Features> events = new ArrayList<>();
        long time = T0;
        for (int i = 0; i < n; i++) {
            events.add(event(i, time));
            time += random == null ? gapMs : (long) (gapMs * (0.1 + 2 * random.nextDouble()));
        }
        return events;
    }

    private static Features event(int i, long time) {
        Features.Builder event = Features.newBuilder().setEventId("e" + i).setEntityKey("u").setEventTimeMs(time)
                .setSchemaVersion(FeatureSchema.VERSION).setPathHash(1_000_003L * (i + 1));
        for (int j = 0; j < FeatureSchema.SIZE; j++) {
            event.addValues(j == 2 ? 0.3f : (i + j) % 3 == 0 ? 1 : 0);
        }
        return event.build();
    }
}
