package io.streaminference.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class MachineCpuTests {

    @Test
    void parsesTheHarnessPidOption() {
        assertThat(MachineCpu.parse("kafka=12, redis=34,model-server=56"))
                .containsExactly(Map.entry("kafka", 12L), Map.entry("redis", 34L), Map.entry("model-server", 56L));
        assertThat(MachineCpu.parse(null)).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void reportsEveryProcessTheMachineAndTheCostPerThousandEvents() throws Exception {
        long self = ProcessHandle.current().pid();
        MachineCpu cpu = MachineCpu.start(Map.of("app", self));

        Map<String, String> result = cpu.since().results(1_000, 1.0);

        assertThat(result).containsOnlyKeys("cores_app", "cores_harness", "cores_machine", "machine_cpu_s_per_1k");
        assertThat(Double.parseDouble(result.get("cores_machine"))).isNotNegative();
    }
}
