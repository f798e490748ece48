package io.streaminference.sessions;

import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions computed outside the stream: a user's events sorted by event time and cut wherever two follow each other
 * after more than the inactivity gap — the sessions the stage emits when no event is later than the grace period —
 * summarised by the same {@link SessionMath}. The reference of the tests and the training data of the session model.
 */
public final class OfflineSessions {

    private OfflineSessions() {
    }

    /** @return the final summaries (emitted at 0), by entity in first-seen order, then by start */
    public static List<SessionFeatures> of(List<Features> events, Duration inactivityGap) {
        Map<String, List<Features>> byEntity = new LinkedHashMap<>();
        for (Features event : events) {
            byEntity.computeIfAbsent(event.getEntityKey(), entity -> new ArrayList<>()).add(event);
        }
        List<SessionFeatures> sessions = new ArrayList<>();
        long gap = inactivityGap.toMillis();
        byEntity.forEach((entity, theirs) -> {
            theirs.sort(Comparator.comparingLong(Features::getEventTimeMs));
            SessionState state = SessionMath.empty();
            long last = Long.MIN_VALUE;
            for (Features event : theirs) {
                if (state.getEventCount() > 0 && event.getEventTimeMs() - last > gap) {
                    sessions.add(SessionMath.summary(entity, state, true, 0));
                    state = SessionMath.empty();
                }
                state = SessionMath.add(state, event);
                last = event.getEventTimeMs();
            }
            sessions.add(SessionMath.summary(entity, state, true, 0));
        });
        return sessions;
    }
}
