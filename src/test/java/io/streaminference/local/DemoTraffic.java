package io.streaminference.local;

import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.ClickstreamSimulator.Kind;
import io.streaminference.demo.DemoEvent;
import io.streaminference.preprocess.OfflineFeatures;
import io.streaminference.contract.SessionState;
import io.streaminference.sessions.OfflineSessions;
import io.streaminference.sessions.SessionMath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled demo traffic for training and judging the demo models: the simulator's events featurised exactly as the
 * preprocess stage does, and their sessions summarised exactly as the session stage does ({@link OfflineSessions}),
 * each labelled with who sent it.
 *
 * @param events   the valid events in the order sent
 * @param kinds    who sent each event
 * @param sessions the sessions of those events
 * @param sessionKinds who each session belongs to
 * @param sessionOf for each event, the index of its session
 */
record DemoTraffic(List<Features> events, List<Kind> kinds, List<SessionFeatures> sessions, List<Kind> sessionKinds,
        int[] sessionOf) {

    /**
     * Slow enough that the traffic spans most of a day, so that the hour-of-day features vary in the training data
     * (visitors behave the same at any hour); each visitor's own timing does not depend on the rate.
     */
    static final double RATE = 5;
    static final Duration GAP = Duration.ofMinutes(30);

    static final long START_MS = 1_767_225_600_000L;

    static DemoTraffic generate(long seed, int n) {
        return generate(new ClickstreamSimulator(seed, START_MS, RATE, 0), n);
    }

    /** Traffic whose bots have drifted ({@link ClickstreamSimulator#driftAt}) from its start on. */
    static DemoTraffic drifted(long seed, int n) {
        return generate(new ClickstreamSimulator(seed, START_MS, RATE, 0).driftAt(START_MS), n);
    }

    private static DemoTraffic generate(ClickstreamSimulator simulator, int n) {
        List<Features> events = new ArrayList<>(n);
        List<Kind> kinds = new ArrayList<>(n);
        Map<String, Kind> kindOfEntity = new HashMap<>();
        for (int i = 0; i < n; i++) {
            DemoEvent event = simulator.next();
            Features features = OfflineFeatures.features(new String(event.value(), StandardCharsets.UTF_8));
            events.add(features);
            kinds.add(event.kind());
            kindOfEntity.put(features.getEntityKey(), event.kind());
        }
        List<SessionFeatures> sessions = OfflineSessions.of(events, GAP);
        List<Kind> sessionKinds = sessions.stream().map(s -> kindOfEntity.get(s.getEntityKey())).toList();
        return new DemoTraffic(events, kinds, sessions, sessionKinds, sessionOf(events, sessions));
    }

    /** Each event's session: the one of its entity whose span holds its event time. */
    private static int[] sessionOf(List<Features> events, List<SessionFeatures> sessions) {
        Map<String, List<Integer>> byEntity = new HashMap<>();
        for (int s = 0; s < sessions.size(); s++) {
            byEntity.computeIfAbsent(sessions.get(s).getEntityKey(), e -> new ArrayList<>()).add(s);
        }
        int[] of = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Features event = events.get(i);
            of[i] = -1;
            for (int s : byEntity.get(event.getEntityKey())) {
                SessionFeatures session = sessions.get(s);
                if (session.getStartMs() <= event.getEventTimeMs() && event.getEventTimeMs() <= session.getEndMs()) {
                    of[i] = s;
                    break;
                }
            }
            if (of[i] < 0) {
                throw new IllegalStateException("event " + event.getEventId() + " is in no session");
            }
        }
        return of;
    }

    float[][] eventRows() {
        return events.stream().map(e -> toArray(e.getValuesList())).toArray(float[][]::new);
    }

    float[][] sessionRows() {
        return sessions.stream().map(s -> toArray(s.getValuesList())).toArray(float[][]::new);
    }

    /** Each session summarised over its first {@code k} events only: what early emission every k events sees first. */
    float[][] earlySessionRows(int k) {
        List<List<Features>> bySession = new ArrayList<>();
        sessions.forEach(session -> bySession.add(new ArrayList<>()));
        for (int i = 0; i < events.size(); i++) {
            bySession.get(sessionOf[i]).add(events.get(i));
        }
        float[][] rows = new float[sessions.size()][];
        for (int s = 0; s < rows.length; s++) {
            List<Features> theirs = bySession.get(s);
            theirs.sort(Comparator.comparingLong(Features::getEventTimeMs));
            SessionState state = SessionMath.empty();
            for (Features event : theirs.subList(0, Math.min(k, theirs.size()))) {
                state = SessionMath.add(state, event);
            }
            rows[s] = SessionMath.features(state);
        }
        return rows;
    }

    float[] eventLabels() {
        return labels(kinds);
    }

    float[] sessionLabels() {
        return labels(sessionKinds);
    }

    private static float[] labels(List<Kind> kinds) {
        float[] y = new float[kinds.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = kinds.get(i) == Kind.HUMAN ? 0 : 1;
        }
        return y;
    }

    private static float[] toArray(List<Float> values) {
        float[] row = new float[values.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = values.get(i);
        }
        return row;
    }
}
