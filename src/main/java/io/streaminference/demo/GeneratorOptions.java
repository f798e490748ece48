package io.streaminference.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Command-line flags of {@link EventGenerator}.
 *
 * @param rate           events per second
 * @param count          events to send, 0 for no limit
 * @param malformedRatio share of deliberately invalid records
 * @param startMs        event time of the first event, epoch millis; 0 for the time the generator starts
 * @param labels         the ground truth the generator publishes for its traffic
 * @param driftAt        how long after the first event the bots drift ({@link ClickstreamSimulator#driftAt}); null
 *                       for never
 */
public record GeneratorOptions(String bootstrapServers, String topic, double rate, long count, double malformedRatio,
        long seed, long startMs, Labels labels, Duration driftAt, boolean help) {

    /**
     * @param topic          where labels go; empty for none
     * @param coverage       share of events, and of sessions, that get a label
     * @param delayMs        how long after its event a label is sent (ground truth comes later than predictions)
     * @param sessionCloseMs how long after a visitor's last event its session closes in the pipeline (the session
     *                       stage's inactivity gap plus grace); its label follows {@code delayMs} later
     */
    public record Labels(String topic, double coverage, long delayMs, long sessionCloseMs) {

        public static final Labels DEFAULT = new Labels("labels", 0.2, 30_000, 31 * 60_000);

        public boolean enabled() {
            return !topic.isEmpty() && coverage > 0;
        }
    }

    public static final String USAGE = """
            usage: generator [--bootstrap-servers 127.0.0.1:9092] [--topic s0] [--rate 1000] [--count 0]
                             [--malformed-ratio 0.005] [--seed 42] [--start-ms 0]
                             [--labels-topic labels] [--label-coverage 0.2] [--label-delay-ms 30000]
                             [--session-close-ms 1860000] [--drift-at PT10M]
              --rate             events per second (default 1000)
              --count            events to send, then stop; 0 runs until stopped (default 0)
              --malformed-ratio  share of deliberately invalid records (default 0.005)
              --seed             random seed; the same seed gives the same traffic (default 42)
              --start-ms         event time of the first event, epoch millis; 0 for now (default 0)
              --labels-topic     topic for the traffic's ground truth (Label protobuf); "" for none (default labels)
              --label-coverage   share of events, and of sessions, labelled (default 0.2)
              --label-delay-ms   a label follows its event (or its session's close) this much later (default 30000)
              --session-close-ms after a visitor's last event its session closes: the pipeline's
                                 pipeline.sessions.inactivity-gap + grace (default 1860000 = 30 min + 1 min)
              --drift-at         this long after the first event (ISO-8601, e.g. PT10M) the bots change: browser
                                 user agents, referrers, seconds per request; the served model's online metrics
                                 drop (default never)""";

    public static GeneratorOptions defaults() {
        return new GeneratorOptions("127.0.0.1:9092", "s0", 1_000, 0, 0.005, 42, 0, Labels.DEFAULT, null, false);
    }

    public static GeneratorOptions parse(String... args) {
        GeneratorOptions defaults = defaults();
        String bootstrapServers = defaults.bootstrapServers;
        String topic = defaults.topic;
        double rate = defaults.rate;
        long count = defaults.count;
        double malformedRatio = defaults.malformedRatio;
        long seed = defaults.seed;
        long startMs = defaults.startMs;
        Labels labels = defaults.labels;
        Duration driftAt = defaults.driftAt;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return new GeneratorOptions(bootstrapServers, topic, rate, count, malformedRatio, seed, startMs, labels,
                        driftAt, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--bootstrap-servers" -> bootstrapServers = value;
                    case "--topic" -> topic = value;
                    case "--rate" -> rate = positive(flag, Double.parseDouble(value));
                    case "--count" -> count = Math.max(0, Long.parseLong(value));
                    case "--malformed-ratio" -> malformedRatio = ratio(flag, Double.parseDouble(value));
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--start-ms" -> startMs = Math.max(0, Long.parseLong(value));
                    case "--labels-topic" -> labels = new Labels(value, labels.coverage(), labels.delayMs(),
                            labels.sessionCloseMs());
                    case "--label-coverage" -> labels = new Labels(labels.topic(),
                            ratio(flag, Double.parseDouble(value)), labels.delayMs(), labels.sessionCloseMs());
                    case "--label-delay-ms" -> labels = new Labels(labels.topic(), labels.coverage(),
                            Math.max(0, Long.parseLong(value)), labels.sessionCloseMs());
                    case "--session-close-ms" -> labels = new Labels(labels.topic(), labels.coverage(),
                            labels.delayMs(), Math.max(0, Long.parseLong(value)));
                    case "--drift-at" -> driftAt = duration(flag, value);
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
            }
        }
        return new GeneratorOptions(bootstrapServers, topic, rate, count, malformedRatio, seed, startMs, labels, driftAt,
                false);
    }

    private static Duration duration(String flag, String value) {
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(flag + " must not be negative");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " needs an ISO-8601 duration such as PT10M, got '" + value + "'");
        }
    }

    private static double positive(String flag, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(flag + " must be > 0");
        }
        return value;
    }

    private static double ratio(String flag, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(flag + " must be between 0 and 1");
        }
        return value;
    }
}
