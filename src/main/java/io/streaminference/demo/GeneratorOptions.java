package io.streaminference.demo;

/**
 * Command-line flags of {@link EventGenerator}.
 *
 * @param rate           events per second
 * @param count          events to send, 0 for no limit
 * @param malformedRatio share of deliberately invalid records
 * @param startMs        event time of the first event, epoch millis; 0 for the time the generator starts
 */
public record GeneratorOptions(String bootstrapServers, String topic, double rate, long count, double malformedRatio,
        long seed, long startMs, boolean help) {

    public static final String USAGE = """
            usage: generator [--bootstrap-servers 127.0.0.1:9092] [--topic s0] [--rate 1000] [--count 0]
                             [--malformed-ratio 0.005] [--seed 42] [--start-ms 0]
              --rate             events per second (default 1000)
              --count            events to send, then stop; 0 runs until stopped (default 0)
              --malformed-ratio  share of deliberately invalid records (default 0.005)
              --seed             random seed; the same seed gives the same traffic (default 42)
              --start-ms         event time of the first event, epoch millis; 0 for now (default 0)""";

    public static GeneratorOptions defaults() {
        return new GeneratorOptions("127.0.0.1:9092", "s0", 1_000, 0, 0.005, 42, 0, false);
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
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return new GeneratorOptions(bootstrapServers, topic, rate, count, malformedRatio, seed, startMs, true);
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
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
            }
        }
        return new GeneratorOptions(bootstrapServers, topic, rate, count, malformedRatio, seed, startMs, false);
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
