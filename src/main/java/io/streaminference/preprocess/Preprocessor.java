package io.streaminference.preprocess;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a valid event to the fixed-length feature vector of {@link FeatureSchema} version 1. Deterministic and
 * stateless, so the same event always gives the same vector; README "Features" documents every entry.
 */
final class Preprocessor {

    static final int HOUR_SIN = 0;
    static final int HOUR_COS = 1;
    static final int PATH_DEPTH = 2;
    static final int STATIC_ASSET = 3;
    static final int STATUS_3XX = 4;
    static final int STATUS_4XX = 5;
    static final int STATUS_5XX = 6;
    static final int LOG_BYTES = 7;
    static final int LOG_DURATION = 8;
    static final int BOT_USER_AGENT = 9;
    static final int REFERRER_PRESENT = 10;
    static final int NON_GET_METHOD = 11;
    static final int HAS_QUERY = 12;
    static final int SENSITIVE_PATH = 13;

    /** Depth at which the path-depth feature saturates at 1. */
    static final int MAX_DEPTH = 10;
    /** ln(1 + bytes) / 16 is about 1 for a 9 MB response. */
    static final double LOG_BYTES_SCALE = 16.0;
    /** ln(1 + ms) / 10 is about 1 for a 22 s request. */
    static final double LOG_DURATION_SCALE = 10.0;
    private static final long DAY_MS = 86_400_000L;

    private static final Set<String> STATIC_EXTENSIONS = Set.of(
            "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif",
            "woff", "woff2", "ttf", "eot", "otf", "mp4", "webm", "mp3");
    // Substrings, tested with String.contains: an alternation regex with find() tries every branch at every position
    // of the agent, for every event (docs/benchmarks.md has the profile).
    private static final String[] BOT_AGENT = {
            "bot", "crawl", "spider", "slurp", "scrap", "curl", "wget", "python", "httpclient", "http-client",
            "go-http", "java/", "okhttp", "libwww", "headless", "phantomjs", "nikto", "sqlmap", "nmap", "masscan",
            "zgrab", "nuclei", "dirbuster", "gobuster"};
    private static final String[] SENSITIVE = {
            "/wp-admin", "/wp-login", "/xmlrpc.php", "/.env", "/.git", "/.aws", "/admin", "/phpmyadmin",
            "/cgi-bin", "/etc/passwd", "/actuator", "/server-status", "/config.", "/backup", "/.ds_store"};

    /** The event's {@code Features}: ids, event time, schema version, path hash and the vector; no stream position. */
    Features.Builder toFeatures(ClickEvent event) {
        Features.Builder features = Features.newBuilder()
                .setEventId(event.eventId())
                .setEntityKey(event.userId())
                .setEventTimeMs(event.eventTimeMs())
                .setSchemaVersion(FeatureSchema.VERSION)
                .setPathHash(pathHash(event.path()));
        for (float value : features(event)) {
            features.addValues(value);
        }
        return features;
    }

    float[] features(ClickEvent event) {
        float[] f = new float[FeatureSchema.SIZE];
        double hour = Math.floorMod(event.eventTimeMs(), DAY_MS) / 3_600_000.0;
        double angle = 2 * Math.PI * hour / 24.0;
        f[HOUR_SIN] = (float) Math.sin(angle);
        f[HOUR_COS] = (float) Math.cos(angle);

        String path = pathOnly(event.path());
        f[PATH_DEPTH] = Math.min(depth(path), MAX_DEPTH) / (float) MAX_DEPTH;
        f[STATIC_ASSET] = flag(STATIC_EXTENSIONS.contains(extension(path)));

        int statusClass = event.status() / 100;
        f[STATUS_3XX] = flag(statusClass == 3);
        f[STATUS_4XX] = flag(statusClass == 4);
        f[STATUS_5XX] = flag(statusClass == 5);

        f[LOG_BYTES] = (float) (Math.log1p(event.bytes()) / LOG_BYTES_SCALE);
        f[LOG_DURATION] = (float) (Math.log1p(event.durationMs()) / LOG_DURATION_SCALE);

        String agent = event.userAgent().toLowerCase(Locale.ROOT);
        // No user agent at all is itself a strong sign of a script.
        f[BOT_USER_AGENT] = flag(agent.isBlank() || containsAny(agent, BOT_AGENT));
        f[REFERRER_PRESENT] = flag(!event.referrer().isBlank());
        f[NON_GET_METHOD] = flag(!event.method().equals("GET") && !event.method().equals("HEAD"));
        f[HAS_QUERY] = flag(event.path().indexOf('?') >= 0);
        f[SENSITIVE_PATH] = flag(containsAny(path.toLowerCase(Locale.ROOT), SENSITIVE));
        return f;
    }

    /**
     * 64-bit FNV-1a of the path without query and fragment (UTF-8): how the session stage counts a session's distinct
     * paths without keeping them. Never 0, which means "no hash" in records from before it existed.
     */
    static long pathHash(String raw) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : pathOnly(raw).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }

    /** The path of a path or absolute URL, without query or fragment. */
    static String pathOnly(String raw) {
        String path = raw;
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash >= 0 ? path.substring(slash) : "/";
        }
        int cut = path.length();
        int query = path.indexOf('?');
        int fragment = path.indexOf('#');
        if (query >= 0) {
            cut = query;
        }
        if (fragment >= 0 && fragment < cut) {
            cut = fragment;
        }
        return path.substring(0, cut);
    }

    static int depth(String path) {
        int depth = 0;
        boolean inSegment = false;
        for (int i = 0; i < path.length(); i++) {
            boolean slash = path.charAt(i) == '/';
            if (!slash && !inSegment) {
                depth++;
            }
            inSegment = !slash;
        }
        return depth;
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && dot < path.length() - 1 ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static boolean containsAny(String text, String[] markers) {
        for (String marker : markers) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static float flag(boolean value) {
        return value ? 1f : 0f;
    }
}
