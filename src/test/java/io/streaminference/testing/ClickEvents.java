package io.streaminference.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Deterministic s0 test input: realistic valid click events and one of each kind of malformed record. */
public final class ClickEvents {

    public static final long BASE_TIME_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static final String[] PATHS = {"/", "/products/42", "/cart", "/static/app.js", "/img/logo.png",
            "/search?q=shoes", "/wp-admin/install.php", "/.env", "/api/v2/items/7/reviews", "/checkout/pay"};
    private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
            "Mozilla/5.0 (Macintosh) Safari/17.1", "curl/8.5.0", "python-requests/2.32", "Googlebot/2.1", ""};
    private static final int[] STATUSES = {200, 200, 200, 304, 404, 500, 301, 403};
    private static final String[] METHODS = {"GET", "GET", "POST", "HEAD", "PUT"};

    private ClickEvents() {
    }

    public static String eventId(int i) {
        return "evt-" + i;
    }

    public static String userId(int i) {
        return "user-" + (i % 97);
    }

    /** A valid event; odd i use an ISO-8601 timestamp, every third leaves out the optional fields. */
    public static String valid(int i) {
        long time = BASE_TIME_MS + i * 1_234L;
        String timestamp = i % 2 == 1 ? "\"" + Instant.ofEpochMilli(time) + "\"" : Long.toString(time);
        StringBuilder json = new StringBuilder("{")
                .append("\"event_id\":\"").append(eventId(i)).append("\",")
                .append("\"user_id\":\"").append(userId(i)).append("\",")
                .append("\"timestamp\":").append(timestamp).append(',')
                .append("\"path\":\"").append(PATHS[i % PATHS.length]).append("\",")
                .append("\"status\":").append(STATUSES[i % STATUSES.length]);
        if (i % 3 != 0) {
            json.append(",\"method\":\"").append(METHODS[i % METHODS.length]).append('"')
                    .append(",\"bytes\":").append((i * 7919) % 250_000)
                    .append(",\"duration_ms\":").append((i * 31) % 5_000).append(".5")
                    .append(",\"user_agent\":\"").append(AGENTS[i % AGENTS.length]).append('"')
                    .append(",\"referrer\":").append(i % 4 == 0 ? "null" : "\"https://example.com/\"")
                    .append(",\"ip\":\"10.0.").append(i % 256).append(".1\"");
        }
        return json.append('}').toString();
    }

    /** One record value of each kind the s0 stage must dead-letter, with the reason it must give. */
    public record Malformed(String reason, byte[] value) {
    }

    public static List<Malformed> malformedKinds() {
        String ok = "\"event_id\":\"m-1\",\"user_id\":\"u\",\"timestamp\":1767225600000,\"path\":\"/\"";
        return List.of(
                new Malformed("empty_value", new byte[0]),
                new Malformed("not_json", utf8("{\"event_id\": \"oops\"")),
                new Malformed("not_json", utf8("{" + ok + ",\"status\":200} trailing")),
                new Malformed("not_json", utf8("{" + ok + ",\"status\":200,\"status\":201}")),
                new Malformed("not_object", utf8("[1,2,3]")),
                new Malformed("invalid_utf8", concat(utf8("{" + ok + ",\"status\":200,\"ip\":\""),
                        new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}"))),
                new Malformed("too_deep", utf8("{" + ok + ",\"status\":200,\"x\":[[[[[[[[[[[1]]]]]]]]]]]}")),
                new Malformed("missing_field", utf8("{\"user_id\":\"u\",\"timestamp\":1,\"path\":\"/\",\"status\":200}")),
                new Malformed("wrong_type", utf8("{" + ok + ",\"status\":\"200\"}")),
                new Malformed("out_of_range", utf8("{" + ok + ",\"status\":700}")),
                new Malformed("out_of_range", utf8("{" + ok + ",\"status\":200,\"bytes\":-5}")),
                new Malformed("invalid_format", utf8("{" + ok.replace("m-1", "bad id") + ",\"status\":200}")),
                new Malformed("invalid_format", utf8("{" + ok.replace("1767225600000", "\"yesterday\"")
                        + ",\"status\":200}")),
                new Malformed("out_of_range", utf8("{" + ok.replace("\"path\":\"/\"", "\"path\":\"/" + "a".repeat(3000)
                        + "\"") + ",\"status\":200}")));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
