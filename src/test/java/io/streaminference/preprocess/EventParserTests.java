package io.streaminference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.ClickEvents.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTests {

    private final EventParser parser = new EventParser(65_536, 8);

    static Stream<Malformed> malformed() {
        return ClickEvents.malformedKinds().stream();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsEachKindOfMalformedInputWithItsReason(Malformed input) {
        assertThatThrownBy(() -> parser.parse(input.value()))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason().code()).isEqualTo(input.reason()));
    }

    static Stream<String> expensiveNumbers() {
        String ok = "\"event_id\":\"e-1\",\"user_id\":\"u\",\"timestamp\":1767225600000,\"path\":\"/\"";
        return Stream.of("{" + ok + ",\"status\":2" + "0".repeat(5_000) + "}",
                "{" + ok + ",\"status\":200,\"bytes\":1." + "9".repeat(5_000) + "}");
    }

    @ParameterizedTest
    @MethodSource("expensiveNumbers")
    void rejectsANumberOfThousandsOfDigitsAsOutOfRange(String value) {
        assertThatThrownBy(() -> parser.parse(value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.OUT_OF_RANGE));
    }

    @Test
    void readsAnEventWithThousandsOfUnknownKeysAndLongEscapesWithinTheSizeLimit() throws Exception {
        StringBuilder value = new StringBuilder(ClickEvents.valid(1).replaceFirst("}$", ""));
        for (int i = 0; i < 3_000; i++) {
            value.append(",\"k").append(i).append("\":").append(i);
        }
        value.append(",\"note\":\"").append("\\u0041".repeat(2_000)).append("\"}");
        assertThat(parser.parse(value.toString().getBytes(StandardCharsets.UTF_8)).eventId())
                .isEqualTo(ClickEvents.eventId(1));
    }

    @Test
    void rejectsNullValueAsEmpty() {
        assertThatThrownBy(() -> parser.parse(null))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.EMPTY_VALUE));
    }

    @Test
    void rejectsValueOverTheSizeLimit() {
        EventParser small = new EventParser(256, 8);
        byte[] big = ("{\"event_id\":\"e\",\"pad\":\"" + "x".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> small.parse(big))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.TOO_LARGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void rejectsJsonInAnotherUnicodeEncodingAsInvalidUtf8(String encoding) {
        // Valid JSON, but not UTF-8: Jackson would detect UTF-16 and UTF-32 by their zero bytes and accept it.
        byte[] value = ClickEvents.valid(1).getBytes(java.nio.charset.Charset.forName(encoding));
        assertThatThrownBy(() -> parser.parse(value))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.INVALID_UTF8));
    }

    @Test
    void rejectsARawNulCharacterWhichJsonTextNeverContains() {
        byte[] value = ("{\"event_id\":\"e\u0000\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(value))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.INVALID_UTF8));
    }

    @Test
    void appliesDocumentedDefaultsToAbsentOrNullOptionalFields() throws Exception {
        ClickEvent event = parse("{\"event_id\":\"e-1\",\"user_id\":\"u1\",\"timestamp\":1000,\"path\":\"/\","
                + "\"status\":200,\"referrer\":null}");
        assertThat(event.method()).isEqualTo("GET");
        assertThat(event.bytes()).isZero();
        assertThat(event.durationMs()).isZero();
        assertThat(event.userAgent()).isEmpty();
        assertThat(event.referrer()).isEmpty();
        assertThat(event.ip()).isEmpty();
    }

    @Test
    void readsIsoTimestampsWithAnOffsetAsEpochMillis() throws Exception {
        assertThat(parse(event("\"2026-01-01T01:00:00+01:00\"", 200)).eventTimeMs()).isEqualTo(1_767_225_600_000L);
        assertThat(parse(event("\"2026-01-01T00:00:00.250Z\"", 200)).eventTimeMs()).isEqualTo(1_767_225_600_250L);
        assertThat(parse(event("1767225600000", 200)).eventTimeMs()).isEqualTo(1_767_225_600_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-01-01T00:00:00\"", "\"2026-01-01\"", "1.5e12", "true"})
    void rejectsTimestampsWithoutOffsetOrOfTheWrongType(String timestamp) {
        assertThatThrownBy(() -> parse(event(timestamp, 200))).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void acceptsStatusBoundsAndNormalisesMethod() throws Exception {
        assertThat(parse(event("0", 100)).status()).isEqualTo(100);
        assertThat(parse(event("0", 599)).status()).isEqualTo(599);
        assertThat(parse("{\"event_id\":\"e\",\"user_id\":\"u\",\"timestamp\":0,\"path\":\"/\",\"status\":200,"
                + "\"method\":\"post\"}").method()).isEqualTo("POST");
    }

    @Test
    void acceptsEventIdsOfUpTo128AllowedCharacters() throws Exception {
        String longest = "a.b:c_d-".repeat(16);
        assertThat(parse("{\"event_id\":\"" + longest + "\",\"user_id\":\"u\",\"timestamp\":0,\"path\":\"/\","
                + "\"status\":200}").eventId()).isEqualTo(longest);
        assertThatThrownBy(() -> parse("{\"event_id\":\"" + longest + "x\",\"user_id\":\"u\",\"timestamp\":0,"
                + "\"path\":\"/\",\"status\":200}")).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void ignoresUnknownFieldsSoProducersCanAddThem() throws Exception {
        assertThat(parse("{\"event_id\":\"e\",\"user_id\":\"u\",\"timestamp\":0,\"path\":\"/\",\"status\":200,"
                + "\"session\":{\"id\":\"s\"}}").eventId()).isEqualTo("e");
    }

    @Test
    void rejectsBlankUserId() {
        assertThatThrownBy(() -> parse("{\"event_id\":\"e\",\"user_id\":\"  \",\"timestamp\":0,\"path\":\"/\","
                + "\"status\":200}"))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventReason.MISSING_FIELD));
    }

    private ClickEvent parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String event(String timestamp, int status) {
        return "{\"event_id\":\"e\",\"user_id\":\"u\",\"timestamp\":" + timestamp + ",\"path\":\"/\",\"status\":"
                + status + "}";
    }
}
