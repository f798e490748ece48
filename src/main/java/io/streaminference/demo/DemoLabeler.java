package io.streaminference.demo;

import io.streaminference.contract.Label;
import io.streaminference.contract.SessionIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of generated traffic, late as real ground truth is: a label for a share of the events
 * {@code delayMs} after each, and for the same share of sessions {@code delayMs} after the pipeline closes them
 * (the visitor's last event plus {@code sessionCloseMs}). Which events and sessions get one is decided by a hash of
 * their id, so a replay with the same seed labels the same ones. A session is taken to be the visitor's whole visit
 * (the simulator's pauses are far shorter than an inactivity gap); its id is the pipeline's ({@link SessionIds}).
 */
final class DemoLabeler {

    static final String SOURCE = "demo-generator";

    private record Due(long atMs, Label label) {
    }

    private static final class Visit {
        final long startMs;
        final boolean bot;
        long lastMs;
        long lastSeenWallMs;

        Visit(long startMs, boolean bot) {
            this.startMs = startMs;
            this.bot = bot;
        }
    }

    private final GeneratorOptions.Labels options;
    private final ArrayDeque<Due> events = new ArrayDeque<>();
    private final Map<String, Visit> visits = new HashMap<>();
    private long scannedAtMs;

    DemoLabeler(GeneratorOptions.Labels options) {
        this.options = options;
    }

    /** Notes an event sent at {@code nowMs} (wall-clock). */
    void sent(DemoEvent event, long nowMs) {
        if (event.malformed() || event.key() == null) {
            return;
        }
        if (chosen(event.eventId())) {
            events.add(new Due(nowMs + options.delayMs(), Label.newBuilder().setEventId(event.eventId())
                    .setEntityKey(event.key()).setLabel(label(event.bot())).setSource(SOURCE).build()));
        }
        Visit visit = visits.computeIfAbsent(event.key(), user -> new Visit(event.timeMs(), event.bot()));
        visit.lastMs = event.timeMs();
        visit.lastSeenWallMs = nowMs;
    }

    /** The labels due by {@code nowMs}, stamped with it, in the order they fell due. */
    List<Label> due(long nowMs) {
        List<Label> due = new ArrayList<>();
        while (!events.isEmpty() && events.peek().atMs() <= nowMs) {
            due.add(events.poll().label().toBuilder().setLabelledAtMs(nowMs).build());
        }
        // Visits are looked over once a second, not per event: there are as many as visitors of the last half hour.
        if (nowMs - scannedAtMs < 1_000) {
            return due;
        }
        scannedAtMs = nowMs;
        for (Iterator<Map.Entry<String, Visit>> it = visits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Visit> entry = it.next();
            Visit visit = entry.getValue();
            if (visit.lastSeenWallMs + options.sessionCloseMs() + options.delayMs() <= nowMs) {
                it.remove();
                String sessionId = SessionIds.of(entry.getKey(), visit.startMs);
                if (chosen(sessionId)) {
                    due.add(Label.newBuilder().setSessionId(sessionId).setEntityKey(entry.getKey())
                            .setLabel(label(visit.bot)).setSource(SOURCE).setLabelledAtMs(nowMs).build());
                }
            }
        }
        return due;
    }

    private boolean chosen(String id) {
        return Math.floorMod(id.hashCode() * 0x9E3779B9, 10_000) < options.coverage() * 10_000;
    }

    private static String label(boolean bot) {
        return bot ? "bot" : "human";
    }
}
