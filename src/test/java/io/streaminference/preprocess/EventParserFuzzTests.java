package io.streaminference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.testing.ClickEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing the s0 parser: whatever a record holds — random bytes, valid events with bytes flipped, inserted or cut,
 * documents built to be deep, wide, numeric or full of escapes — it is an event or a dead letter with a reason, never
 * another exception. Bounded in {@code ./mvnw verify} ({@code jqwik.tries.default}), 200,000 tries per property with
 * {@code -Pfuzz}.
 */
class EventParserFuzzTests {

    private final EventParser parser = new EventParser(65_536, 8);

    @Property
    void anyBytesAreAnEventOrADeadLetterWithAReason(@ForAll @Size(max = 2_048) byte[] value) {
        assertEventOrReason(value);
    }

    @Property
    void aMutatedEventIsAnEventOrADeadLetterWithAReason(@ForAll("mutatedEvents") byte[] value) {
        assertEventOrReason(value);
    }

    @Property
    void aDocumentBuiltToExhaustTheParserIsADeadLetterWithAReason(@ForAll("hostileDocuments") String document) {
        assertEventOrReason(document.getBytes(StandardCharsets.UTF_8));
    }

    private void assertEventOrReason(byte[] value) {
        try {
            assertThat(parser.parse(value)).isNotNull();
        } catch (InvalidEventException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedEvents() {
        Arbitrary<byte[]> events = Arbitraries.integers().between(0, 999)
                .map(i -> ClickEvents.valid(i).getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(events, Arbitraries.integers().between(0, 1_000), Arbitraries.bytes(),
                Arbitraries.integers().between(0, 3)).as((event, at, b, kind) -> mutate(event, at % event.length, b,
                kind));
    }

    private static byte[] mutate(byte[] event, int at, byte b, int kind) {
        byte[] out;
        switch (kind) {
            case 0 -> { // flip
                out = event.clone();
                out[at] = b;
            }
            case 1 -> { // insert
                out = new byte[event.length + 1];
                System.arraycopy(event, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(event, at, out, at + 1, event.length - at);
            }
            case 2 -> { // cut the rest
                out = java.util.Arrays.copyOf(event, at);
            }
            default -> { // delete one
                out = new byte[event.length - 1];
                System.arraycopy(event, 0, out, 0, at);
                System.arraycopy(event, at + 1, out, at, event.length - at - 1);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<String> hostileDocuments() {
        String fields = "\"event_id\":\"e-1\",\"user_id\":\"u\",\"timestamp\":1767225600000,\"path\":\"/\",\"status\":200";
        Arbitrary<Integer> n = Arbitraries.integers().between(1, 20_000);
        return Arbitraries.oneOf(List.of(
                // deep nesting
                n.map(k -> "{" + fields + ",\"x\":" + "[".repeat(k) + "]".repeat(k) + "}"),
                n.map(k -> "{".repeat(k) + "}".repeat(k)),
                // huge numbers: long integers, long fractions, huge exponents
                n.map(k -> "{" + fields.replace("200", "2" + "0".repeat(k)) + "}"),
                n.map(k -> "{" + fields + ",\"bytes\":1." + "9".repeat(k) + "}"),
                n.map(k -> "{" + fields + ",\"bytes\":1e" + k + "" + k + "}"),
                n.map(k -> "{" + fields + ",\"duration_ms\":-1e-" + k + "}"),
                // many keys
                n.map(k -> {
                    StringBuilder doc = new StringBuilder("{" + fields);
                    for (int i = 0; i < Math.min(k, 5_000); i++) {
                        doc.append(",\"k").append(i).append("\":").append(i);
                    }
                    return doc.append('}').toString();
                }),
                // long strings of escapes
                n.map(k -> "{" + fields + ",\"user_agent\":\"" + "\\u0000".repeat(Math.min(k, 10_000)) + "\"}"),
                n.map(k -> "{" + fields + ",\"referrer\":\"" + "\\\\".repeat(k) + "\"}"),
                n.map(k -> "{" + fields.replace("\"e-1\"", "\"" + "\\ud800".repeat(Math.min(k, 5_000)) + "\"") + "}")));
    }
}
