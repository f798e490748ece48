package io.streaminference.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.streaminference.contract.EventIds;
import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Reads a dead-letter record into a {@link DeadLetterEntry}: its stage, reason and origin from the headers
 * {@link DeadLetters} wrote, and its id from the value as its source topic defines it (the {@code event_id} of a JSON
 * event, the id field of a protobuf message). Never throws: a value that cannot be read has no id.
 */
final class DeadLetterEntries {

    static final int PREVIEW_CHARS = 300;
    static final int MAX_ID_CHARS = 200;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    /** Parses a value of a source topic and names its id. */
    private interface IdReader {
        Message parse(byte[] value) throws InvalidProtocolBufferException;

        String id(Message message);
    }

    private final TopicsProperties topics;
    private final Map<String, IdReader> protobufSources;

    DeadLetterEntries(TopicsProperties topics) {
        this.topics = topics;
        this.protobufSources = Map.of(
                topics.features(), reader(Features::parseFrom, m -> ((Features) m).getEventId()),
                topics.predictions(), reader(Prediction::parseFrom, m -> ((Prediction) m).getEventId()),
                topics.sessions(), reader(SessionFeatures::parseFrom, m -> ((SessionFeatures) m).getSessionId()),
                topics.sessionPredictions(), reader(SessionPrediction::parseFrom,
                        m -> ((SessionPrediction) m).getSessionId()));
    }

    DeadLetterEntry of(ConsumerRecord<byte[], byte[]> record, long now) {
        String sourceTopic = text(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String id = null;
        String preview;
        IdReader reader = sourceTopic == null ? null : protobufSources.get(sourceTopic);
        if (reader != null) {
            Message message = parse(reader, value);
            id = message == null ? null : usable(reader.id(message));
            preview = message == null ? binary(value)
                    : clip(message.getDescriptorForType().getName() + " { "
                            + TextFormat.printer().emittingSingleLine(true).printToString(message) + "}");
        } else {
            if (topics.events().equals(sourceTopic)) {
                id = usable(jsonEventId(value));
            }
            String text = utf8(value);
            preview = text == null ? binary(value) : clip(text);
        }
        byte[] key = record.key();
        String keyText = key == null ? null : utf8(key);
        return new DeadLetterEntry(id, key == null ? null : keyText == null ? binary(key) : clip(keyText),
                record.topic(), record.partition(), record.offset(), sourceTopic,
                integer(record, KafkaHeaders.DLT_ORIGINAL_PARTITION), longValue(record, KafkaHeaders.DLT_ORIGINAL_OFFSET),
                text(record, DeadLetters.STAGE_HEADER), orUnknown(text(record, DeadLetters.REASON_HEADER)),
                text(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE), preview, value.length, now);
    }

    private static IdReader reader(Parser parser, java.util.function.Function<Message, String> id) {
        return new IdReader() {
            @Override
            public Message parse(byte[] value) throws InvalidProtocolBufferException {
                return parser.parse(value);
            }

            @Override
            public String id(Message message) {
                return id.apply(message);
            }
        };
    }

    @FunctionalInterface
    private interface Parser {
        Message parse(byte[] value) throws InvalidProtocolBufferException;
    }

    private static Message parse(IdReader reader, byte[] value) {
        try {
            return reader.parse(value);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** The top-level {@code event_id} string of a JSON object, or null; tolerant of everything after it. */
    static String jsonEventId(byte[] value) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                if ("event_id".equals(field)) {
                    return valueToken == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An id worth indexing: the rule the API checks ids against, so a lookup can find it. */
    private static String usable(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID_CHARS && EventIds.isValid(id) ? id : null;
    }

    /** Strict UTF-8 without control characters other than whitespace, or null. */
    static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            for (int i = 0; i < chars.length(); i++) {
                char c = chars.charAt(i);
                if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String clip(String text) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
    }

    private static String binary(byte[] bytes) {
        return "(" + bytes.length + " bytes, not text)";
    }

    private static String orUnknown(String reason) {
        return reason == null || reason.isBlank() ? "unknown" : reason;
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        Header last = record.headers().lastHeader(header);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    private static Integer integer(ConsumerRecord<?, ?> record, String header) {
        Header last = record.headers().lastHeader(header);
        return last == null || last.value() == null || last.value().length != Integer.BYTES ? null
                : ByteBuffer.wrap(last.value()).getInt();
    }

    private static Long longValue(ConsumerRecord<?, ?> record, String header) {
        Header last = record.headers().lastHeader(header);
        return last == null || last.value() == null || last.value().length != Long.BYTES ? null
                : ByteBuffer.wrap(last.value()).getLong();
    }
}
