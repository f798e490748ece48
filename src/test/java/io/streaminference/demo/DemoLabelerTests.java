package io.streaminference.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streaminference.contract.Label;
import io.streaminference.contract.SessionIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoLabelerTests {

    static final long NOW = 1_800_000_000_000L;
    static final GeneratorOptions.Labels OPTIONS = new GeneratorOptions.Labels("labels", 0.2, 30_000, 60_000);

    @Test
    void labelsTheCoveredShareOfEventsOnlyOnceTheirDelayHasPassed() {
        DemoLabeler labeler = new DemoLabeler(OPTIONS);
        ClickstreamSimulator simulator = new ClickstreamSimulator(1, NOW, 1_000, 0);
        Map<String, DemoEvent> sent = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            DemoEvent event = simulator.next();
            sent.put(event.eventId(), event);
            labeler.sent(event, NOW);
        }
        assertThat(labeler.due(NOW + 29_999)).isEmpty();

        List<Label> labels = labeler.due(NOW + 30_000);
        assertThat(labels.size() / 10_000.0).isCloseTo(0.2, within(0.02));
        assertThat(labels).allSatisfy(label -> {
            DemoEvent event = sent.get(label.getEventId());
            assertThat(label.getEntityKey()).isEqualTo(event.key());
            assertThat(label.getLabel()).isEqualTo(event.bot() ? "bot" : "human");
            assertThat(label.getLabelledAtMs()).isEqualTo(NOW + 30_000);
            assertThat(label.getSource()).isEqualTo(DemoLabeler.SOURCE);
        });
    }

    @Test
    void labelsAVisitsSessionByThePipelinesSessionIdOnceItHasClosedAndTheDelayPassed() {
        DemoLabeler labeler = new DemoLabeler(new GeneratorOptions.Labels("labels", 1.0, 30_000, 60_000));
        ClickstreamSimulator simulator = new ClickstreamSimulator(2, NOW, 1_000, 0);
        Map<String, Long> firstTime = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            DemoEvent event = simulator.next();
            firstTime.putIfAbsent(event.key(), event.timeMs());
            users.add(event.key());
            labeler.sent(event, NOW);
        }
        List<Label> early = labeler.due(NOW + 89_000);
        assertThat(early).noneMatch(Label::hasSessionId);

        List<Label> sessions = new ArrayList<>(labeler.due(NOW + 90_000)).stream().filter(Label::hasSessionId)
                .toList();
        assertThat(sessions).hasSize(users.size());
        assertThat(sessions).allSatisfy(label -> assertThat(label.getSessionId())
                .isEqualTo(SessionIds.of(label.getEntityKey(), firstTime.get(label.getEntityKey()))));
    }

    @Test
    void labelsTheSameEventsInAReplay() {
        assertThat(labelled(7)).isEqualTo(labelled(7)).isNotEqualTo(labelled(8));
    }

    private static List<String> labelled(long seed) {
        DemoLabeler labeler = new DemoLabeler(OPTIONS);
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, NOW, 1_000, 0);
        for (int i = 0; i < 500; i++) {
            labeler.sent(simulator.next(), NOW);
        }
        return labeler.due(NOW + 30_000).stream().filter(Label::hasEventId).map(Label::getEventId).toList();
    }
}
