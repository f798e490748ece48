package io.streaminference.preprocess;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streaminference.contract.EventIds;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns an s0 record value into a {@link ClickEvent} or says precisely why it cannot: the input contract of the
 * pipeline (README "Input: s0"). Unknown fields are ignored so producers can add fields without breaking us.
 */
final class EventParser {

    /** 9999-12-31T23:59:59.999Z, the largest instant ISO-8601 writes with four year digits. */
    static final long MAX_EVENT_TIME_MS = 253_402_300_799_999L;
    static final int MAX_USER_ID = 256;
    static final int MAX_PATH = 2048;
    static final int MAX_TEXT = 2048;
    static final int MAX_IP = 64;

    private final ObjectMapper mapper;
    private final int maxEventBytes;

    EventParser(int maxEventBytes, int maxNestingDepth) {
        this.maxEventBytes = maxEventBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    ClickEvent parse(byte[] value) throws InvalidEventException {
        if (value == null || value.length == 0) {
            throw new InvalidEventException(EventReason.EMPTY_VALUE, "record value is empty");
        }
        if (value.length > maxEventBytes) {
            throw new InvalidEventException(EventReason.TOO_LARGE,
                    "record value is " + value.length + " bytes, limit " + maxEventBytes);
        }
        if (!Utf8.isValid(value)) {
            throw new InvalidEventException(EventReason.INVALID_UTF8, "record value is not UTF-8 JSON text (invalid "
                    + "UTF-8, or NUL bytes as in UTF-16 or UTF-32)");
        }
        JsonNode root = readTree(value);
        if (!root.isObject()) {
            throw new InvalidEventException(EventReason.NOT_OBJECT,
                    "expected a JSON object, got " + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return new ClickEvent(
                eventId(root),
                requiredText(root, "user_id", MAX_USER_ID),
                timestamp(root),
                requiredText(root, "path", MAX_PATH),
                status(root),
                method(root),
                optionalLong(root, "bytes"),
                optionalDuration(root),
                optionalText(root, "user_agent", MAX_TEXT),
                optionalText(root, "referrer", MAX_TEXT),
                optionalText(root, "ip", MAX_IP));
    }

    private JsonNode readTree(byte[] value) throws InvalidEventException {
        try {
            JsonNode root = mapper.readTree(value);
            if (root == null || root.isMissingNode()) {
                throw new InvalidEventException(EventReason.NOT_JSON, "record value holds no JSON value");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw exceeded(e);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof StreamConstraintsException exceeded) {
                throw exceeded(exceeded);
            }
            throw new InvalidEventException(EventReason.NOT_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEventException(EventReason.NOT_JSON, "not valid JSON: " + e.getMessage());
        }
    }

    /**
     * A limit of the JSON reader: the nesting depth ({@code pipeline.preprocess.max-nesting-depth}), or Jackson's own
     * bounds on a number's digits or a name's length, which keep a crafted number from costing a quadratic parse.
     */
    private static InvalidEventException exceeded(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        boolean depth = message != null && message.contains("nesting depth");
        return new InvalidEventException(depth ? EventReason.TOO_DEEP : EventReason.OUT_OF_RANGE, message);
    }

    private static String eventId(JsonNode root) throws InvalidEventException {
        String id = requiredText(root, "event_id", EventIds.MAX_LENGTH);
        if (!EventIds.isValid(id)) {
            throw new InvalidEventException(EventReason.INVALID_FORMAT, "event_id must be " + EventIds.RULE);
        }
        return id;
    }

    private static long timestamp(JsonNode root) throws InvalidEventException {
        JsonNode node = required(root, "timestamp");
        long millis;
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw outOfRange("timestamp", "is not a representable epoch-millisecond value");
            }
            millis = node.longValue();
        } else if (node.isTextual()) {
            try {
                millis = OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidEventException(EventReason.INVALID_FORMAT,
                        "timestamp must be epoch milliseconds or ISO-8601 with an offset, e.g. 2026-01-31T12:00:00Z");
            }
        } else {
            throw wrongType("timestamp", "an integer (epoch millis) or an ISO-8601 string", node);
        }
        if (millis < 0 || millis > MAX_EVENT_TIME_MS) {
            throw outOfRange("timestamp", "must lie between 1970-01-01 and 9999-12-31");
        }
        return millis;
    }

    private static int status(JsonNode root) throws InvalidEventException {
        JsonNode node = required(root, "status");
        if (!node.isIntegralNumber()) {
            throw wrongType("status", "an integer", node);
        }
        if (!node.canConvertToInt() || node.intValue() < 100 || node.intValue() > 599) {
            throw outOfRange("status", "must be 100-599");
        }
        return node.intValue();
    }

    /** A loop, like EventIds, not a regex: it runs for every event. */
    private static boolean isAsciiLetters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static String method(JsonNode root) throws InvalidEventException {
        String method = optionalText(root, "method", 16);
        if (method.isEmpty()) {
            return "GET";
        }
        if (!isAsciiLetters(method)) {
            throw new InvalidEventException(EventReason.INVALID_FORMAT, "method must be 1-16 letters");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private static long optionalLong(JsonNode root, String field) throws InvalidEventException {
        JsonNode node = optional(root, field);
        if (node == null) {
            return 0;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(field, "an integer", node);
        }
        if (!node.canConvertToLong() || node.longValue() < 0) {
            throw outOfRange(field, "must be a non-negative 64-bit integer");
        }
        return node.longValue();
    }

    private static double optionalDuration(JsonNode root) throws InvalidEventException {
        JsonNode node = optional(root, "duration_ms");
        if (node == null) {
            return 0;
        }
        if (!node.isNumber()) {
            throw wrongType("duration_ms", "a number", node);
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value) || value < 0) {
            throw outOfRange("duration_ms", "must be a finite number >= 0");
        }
        return value;
    }

    private static String requiredText(JsonNode root, String field, int maxLength) throws InvalidEventException {
        JsonNode node = required(root, field);
        String text = text(node, field, maxLength);
        if (text.isBlank()) {
            throw new InvalidEventException(EventReason.MISSING_FIELD, field + " is blank");
        }
        return text;
    }

    private static String optionalText(JsonNode root, String field, int maxLength) throws InvalidEventException {
        JsonNode node = optional(root, field);
        return node == null ? "" : text(node, field, maxLength);
    }

    private static String text(JsonNode node, String field, int maxLength) throws InvalidEventException {
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        String text = node.textValue();
        if (text.length() > maxLength) {
            throw outOfRange(field, "is " + text.length() + " characters, limit " + maxLength);
        }
        return text;
    }

    private static JsonNode required(JsonNode root, String field) throws InvalidEventException {
        JsonNode node = optional(root, field);
        if (node == null) {
            throw new InvalidEventException(EventReason.MISSING_FIELD, field + " is required");
        }
        return node;
    }

    /** Absent and JSON null both mean "not given". */
    private static JsonNode optional(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static InvalidEventException wrongType(String field, String expected, JsonNode actual) {
        return new InvalidEventException(EventReason.WRONG_TYPE, field + " must be " + expected + ", got "
                + actual.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private static InvalidEventException outOfRange(String field, String rule) {
        return new InvalidEventException(EventReason.OUT_OF_RANGE, field + " " + rule);
    }
}
