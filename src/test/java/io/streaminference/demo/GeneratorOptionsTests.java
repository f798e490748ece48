package io.streaminference.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratorOptionsTests {

    @Test
    void keepsTheDefaultsForFlagsNotGiven() {
        assertThat(GeneratorOptions.parse()).isEqualTo(GeneratorOptions.defaults());
        assertThat(GeneratorOptions.parse("--rate", "5000", "--count", "100000"))
                .isEqualTo(new GeneratorOptions("127.0.0.1:9092", "s0", 5_000, 100_000, 0.005, 42, 0,
                        GeneratorOptions.Labels.DEFAULT, null, false));
    }

    @Test
    void readsEveryFlag() {
        assertThat(GeneratorOptions.parse("--bootstrap-servers", "k:1", "--topic", "t", "--rate", "2.5", "--count",
                "7", "--malformed-ratio", "0.5", "--seed", "9", "--start-ms", "1767225600000", "--labels-topic", "l",
                "--label-coverage", "0.5", "--label-delay-ms", "100", "--session-close-ms", "200", "--drift-at", "PT5M"))
                .isEqualTo(new GeneratorOptions("k:1", "t", 2.5, 7, 0.5, 9, 1_767_225_600_000L,
                        new GeneratorOptions.Labels("l", 0.5, 100, 200), java.time.Duration.ofMinutes(5), false));
        assertThat(GeneratorOptions.parse("--seed", "3", "--help").help()).isTrue();
    }

    @Test
    void namesTheFlagAtFault() {
        assertThatThrownBy(() -> GeneratorOptions.parse("--rate", "0")).hasMessage("--rate must be > 0");
        assertThatThrownBy(() -> GeneratorOptions.parse("--count", "many")).hasMessage("--count needs a number, got 'many'");
        assertThatThrownBy(() -> GeneratorOptions.parse("--malformed-ratio", "2"))
                .hasMessage("--malformed-ratio must be between 0 and 1");
        assertThatThrownBy(() -> GeneratorOptions.parse("--label-coverage", "1.5"))
                .hasMessage("--label-coverage must be between 0 and 1");
        assertThatThrownBy(() -> GeneratorOptions.parse("--drift-at", "5m"))
                .hasMessage("--drift-at needs an ISO-8601 duration such as PT10M, got '5m'");
        assertThatThrownBy(() -> GeneratorOptions.parse("--speed", "1")).hasMessage("unknown flag --speed");
        assertThatThrownBy(() -> GeneratorOptions.parse("--rate")).hasMessage("missing value for --rate");
    }
}
