package io.streaminference.demo;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Deterministic (seeded) clickstream traffic for the demo and for training the demo models. Each visitor keeps its
 * own timing, so that its events form the sessions a real visitor's would: people reading pages (think time of
 * seconds, a page's static assets right after it, referrers), bot bursts (vulnerability scanners, scrapers,
 * credential stuffers — some hiding behind browser user agents), and <em>stealth bots</em>, whose every request
 * looks like a person's page view (a browser user agent, plausible pages reached from the previous one, now and then
 * an asset) but whose sessions do not: a crawl of the catalogue page after page, at a machine-regular pace with no
 * think time. A small share of records is malformed.
 *
 * <p>Time is simulated: the simulator advances by {@code 1 / eventsPerSecond} per event and emits the event of the
 * visitor due next, starting new visitors as needed, so the population grows to whatever the rate needs. Event times
 * come from that schedule, or — for measuring latency from event time — from a clock.
 *
 * <p><em>Drift</em> ({@link #driftAt}): from a given simulated time on, the burst bots (scanners, scrapers, credential
 * stuffers) move behind a residential proxy network — every request carries a browser user agent and a referrer and
 * takes seconds to answer — so what a model learned about their user agents, referrers and speed stops holding, while
 * what they ask for (paths, methods, statuses) still gives them away to a model trained on the new traffic.
 */
public final class ClickstreamSimulator {

    /** Who sent an event, for evaluating models per kind of traffic. */
    public enum Kind { HUMAN, SCANNER, SCRAPER, STUFFER, STEALTH, MALFORMED }

    private static final String[] BROWSERS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"};
    private static final String[] SCRIPT_AGENTS = {"curl/8.5.0", "python-requests/2.32.3", "Go-http-client/1.1",
            "Wget/1.21.4", "zgrab/0.x", "Mozilla/5.0 (compatible; Nmap Scripting Engine)", "Scrapy/2.11",
            "Mozilla/5.0 (compatible; Googlebot/2.1)", "Mozilla/5.0 (compatible; bingbot/2.0)", ""};
    private static final String[] SCAN_PATHS = {"/.env", "/wp-login.php", "/wp-admin/setup-config.php", "/.git/config",
            "/phpmyadmin/index.php", "/admin", "/cgi-bin/luci", "/server-status", "/config.json", "/backup.zip",
            "/xmlrpc.php", "/actuator/env", "/.aws/credentials", "/vendor/phpunit/eval-stdin.php"};
    private static final String[] LANDINGS = {"/", "/", "/products", "/sale", "/search?q=boots", "/blog/winter-guide"};
    private static final String[] ASSETS = {"/static/app.js", "/static/vendor.js", "/static/site.css",
            "/img/logo.svg", "/img/hero.webp", "/fonts/inter.woff2", "/favicon.ico"};
    private static final String[] REFERRERS = {"https://www.google.com/", "https://duckduckgo.com/",
            "https://news.example.org/article", "https://t.co/x1"};
    private static final String[] CATEGORIES = {"shoes", "coats", "bags", "hats"};

    private final Random random;
    private final LongSupplier clock;
    private final double malformedRatio;
    private final double stepMs;
    private long driftAtMs = Long.MAX_VALUE;
    private final PriorityQueue<Visitor> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
    private double now;
    private long sequence;

    /**
     * Events stamped with their simulated time, from {@code startMs} on.
     *
     * @param eventsPerSecond the rate the simulated time advances at
     * @param malformedRatio  share of records that are deliberately invalid, e.g. 0.005
     */
    public ClickstreamSimulator(long seed, long startMs, double eventsPerSecond, double malformedRatio) {
        this(seed, startMs, eventsPerSecond, malformedRatio, null);
    }

    /**
     * Events stamped by {@code clock} when they are made (the benchmark measures latency from event time), in the
     * order of a schedule at 1,000 events per second.
     */
    public ClickstreamSimulator(long seed, LongSupplier clock, double malformedRatio) {
        this(seed, 0, 1_000, malformedRatio, clock);
    }

    private ClickstreamSimulator(long seed, long startMs, double eventsPerSecond, double malformedRatio,
            LongSupplier clock) {
        this.random = new Random(seed);
        this.now = startMs;
        this.stepMs = 1000.0 / eventsPerSecond;
        this.malformedRatio = malformedRatio;
        this.clock = clock;
    }

    /**
     * Bots drift from simulated time {@code eventTimeMs} on (by their schedule, also when events are stamped by a
     * clock).
     */
    public ClickstreamSimulator driftAt(long eventTimeMs) {
        this.driftAtMs = eventTimeMs;
        return this;
    }

    public DemoEvent next() {
        sequence++;
        now += stepMs;
        if (random.nextDouble() < malformedRatio) {
            return malformed();
        }
        Visitor visitor = due.peek() != null && due.peek().nextAt <= now ? due.poll() : newVisitor((long) now);
        DemoEvent event = visitor.next();
        if (!visitor.done()) {
            due.add(visitor);
        }
        return event;
    }

    private Visitor newVisitor(long startAt) {
        double kind = random.nextDouble();
        String user = "u-" + Long.toString(Math.abs(random.nextLong()) % 1_000_000_000L, 36);
        // Humans, scanners, scrapers and stuffers in the demo's usual proportions (70:12:12:6), plus 8% stealth bots.
        Visitor visitor = kind < 0.64 ? new Human(user) : kind < 0.75 ? new Scanner(user) : kind < 0.86
                ? new Scraper(user) : kind < 0.92 ? new Stuffer(user) : new Stealth(user);
        visitor.nextAt = startAt;
        return visitor;
    }

    private abstract class Visitor {
        final String user;
        final Kind kind;
        int remaining;
        long nextAt;

        Visitor(String user, Kind kind, int requests) {
            this.user = user;
            this.kind = kind;
            this.remaining = requests;
        }

        /** The visitor's event due at {@link #nextAt}; sets the time of the one after. */
        abstract DemoEvent next();

        boolean done() {
            return remaining <= 0;
        }

        DemoEvent event(String path, int status, String method, long bytes, double durationMs, String agent,
                String referrer, long afterMs) {
            remaining--;
            if (nextAt >= driftAtMs && (kind == Kind.SCANNER || kind == Kind.SCRAPER || kind == Kind.STUFFER)) {
                agent = BROWSERS[Math.floorMod(user.hashCode(), BROWSERS.length)];
                referrer = referrer != null ? referrer : "https://shop.example" + LANDINGS[remaining
                        % LANDINGS.length];
                durationMs = 1_500 + random.nextDouble() * 4_500;
            }
            long time = clock == null ? nextAt : clock.getAsLong();
            nextAt += Math.max(1, afterMs);
            String id = "demo-" + Long.toString(sequence, 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
            StringBuilder json = new StringBuilder(256).append('{')
                    .append("\"event_id\":\"").append(id).append("\",")
                    .append("\"user_id\":\"").append(user).append("\",")
                    .append("\"timestamp\":").append(time).append(',')
                    .append("\"path\":\"").append(path).append("\",")
                    .append("\"status\":").append(status).append(',')
                    .append("\"method\":\"").append(method).append("\",")
                    .append("\"bytes\":").append(bytes).append(',')
                    .append("\"duration_ms\":").append(Math.round(durationMs * 10) / 10.0).append(',')
                    .append("\"user_agent\":\"").append(agent).append('"');
            if (referrer != null) {
                json.append(",\"referrer\":\"").append(referrer).append('"');
            }
            json.append(",\"ip\":\"").append(random.nextInt(223) + 1).append('.').append(random.nextInt(256))
                    .append('.').append(random.nextInt(256)).append('.').append(random.nextInt(254) + 1).append('"');
            json.append('}');
            return new DemoEvent(user, json.toString().getBytes(StandardCharsets.UTF_8), kind != Kind.HUMAN, false,
                    kind, id, time);
        }
    }

    /**
     * A person: pages followed by their assets (within a few hundred milliseconds), seconds of think time between
     * pages, referrers, mostly 200/304, an occasional 404.
     */
    private final class Human extends Visitor {
        final String agent = random.nextDouble() < 0.01 ? "" : pick(BROWSERS);
        /** People read at their own speed, and some have the site's assets cached. */
        final double readingSpeed = Math.exp(random.nextGaussian() * 0.5);
        final int assetBound = 1 + random.nextInt(5);
        String page;
        int assetsLeft;

        Human(String user) {
            // One in ten shops for long: as many requests as a short crawl, but with a person's timing.
            super(user, Kind.HUMAN, random.nextDouble() < 0.1 ? 50 + random.nextInt(100) : 5 + random.nextInt(40));
        }

        @Override
        DemoEvent next() {
            if (assetsLeft > 0) {
                assetsLeft--;
                return event(pick(ASSETS), random.nextDouble() < 0.4 ? 304 : 200, "GET", 1_000 + random.nextInt(150_000),
                        5 + random.nextDouble() * 80, agent, "https://shop.example" + page, afterAsset());
            }
            String referrer = page == null ? (random.nextDouble() < 0.6 ? pick(REFERRERS) : null)
                    : "https://shop.example" + page;
            page = page == null ? pick(LANDINGS) : nextPage();
            assetsLeft = random.nextInt(assetBound);
            boolean post = page.startsWith("/cart") || page.startsWith("/checkout");
            int status = random.nextDouble() < 0.03 ? 404 : random.nextDouble() < 0.01 ? 500 : 200;
            return event(page, status, post && random.nextBoolean() ? "POST" : "GET", 8_000 + random.nextInt(90_000),
                    40 + random.nextDouble() * 900, agent, referrer, assetsLeft > 0 ? afterAsset() : thinkTime());
        }

        private long afterAsset() {
            return 20 + random.nextInt(380);
        }

        /** Reading a page: mostly a few seconds to half a minute, now and then much longer. */
        private long thinkTime() {
            double seconds = readingSpeed * Math.exp(1.0 + random.nextGaussian() * 0.8);
            return (long) (Math.min(seconds, 120) * 1000);
        }

        private String nextPage() {
            double p = random.nextDouble();
            if (p < 0.45) {
                return "/products/" + random.nextInt(5_000);
            }
            if (p < 0.6) {
                return "/category/" + pick(CATEGORIES) + "?page=" + (1 + random.nextInt(4));
            }
            if (p < 0.75) {
                return "/search?q=" + pick(new String[] {"red+boots", "wool", "sale", "gift"});
            }
            if (p < 0.87) {
                return "/cart";
            }
            if (p < 0.93) {
                return "/checkout/pay";
            }
            return "/account/orders";
        }
    }

    /** A vulnerability scanner: a fast burst of known-weak paths, mostly 404/403, no referrer. */
    private final class Scanner extends Visitor {
        final String agent = random.nextDouble() < 0.3 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);

        Scanner(String user) {
            super(user, Kind.SCANNER, 20 + random.nextInt(150));
        }

        @Override
        DemoEvent next() {
            boolean probe = random.nextDouble() < 0.85;
            String path = probe ? pick(SCAN_PATHS) : "/products/" + random.nextInt(5_000);
            int status = probe ? (random.nextDouble() < 0.8 ? 404 : 403) : 200;
            return event(path, status, random.nextDouble() < 0.1 ? "POST" : "GET", 100 + random.nextInt(2_000),
                    1 + random.nextDouble() * 30, agent, null, 50 + random.nextInt(550));
        }
    }

    /** A scraper: product pages in order, no assets, rarely a referrer, sometimes HEAD. */
    private final class Scraper extends Visitor {
        final String agent = random.nextDouble() < 0.4 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);
        int product = random.nextInt(4_000);

        Scraper(String user) {
            super(user, Kind.SCRAPER, 50 + random.nextInt(300));
        }

        @Override
        DemoEvent next() {
            String path = random.nextDouble() < 0.8 ? "/products/" + product++ : "/category/shoes?page="
                    + random.nextInt(60);
            return event(path, random.nextDouble() < 0.05 ? 429 : 200, random.nextDouble() < 0.15 ? "HEAD" : "GET",
                    20_000 + random.nextInt(60_000), 15 + random.nextDouble() * 120, agent,
                    random.nextDouble() < 0.1 ? pick(REFERRERS) : null, 200 + random.nextInt(1_800));
        }
    }

    /** A credential stuffer: POSTs to the login form, mostly refused, behind a browser user agent. */
    private final class Stuffer extends Visitor {
        final String agent = random.nextDouble() < 0.8 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);

        Stuffer(String user) {
            super(user, Kind.STUFFER, 30 + random.nextInt(200));
        }

        @Override
        DemoEvent next() {
            return event(random.nextDouble() < 0.9 ? "/account/login" : "/", random.nextDouble() < 0.9 ? 401 : 200,
                    "POST", 300 + random.nextInt(900), 30 + random.nextDouble() * 200, agent,
                    random.nextDouble() < 0.5 ? "https://shop.example/account/login" : null, 300 + random.nextInt(1_200));
        }
    }

    /**
     * A stealth bot: each request a plausible page view — browser user agent, catalogue pages reached from the
     * previous one, status 200, a page's size and timing, now and then one asset — but a crawl: category listings and
     * their products in order, every page once, at a fixed pace (3 to 30% jitter) with no think time.
     */
    private final class Stealth extends Visitor {
        final String agent = pick(BROWSERS);
        final long intervalMs = 1_500 + random.nextInt(4_500);
        final double jitter = 0.03 + 0.27 * random.nextDouble();
        final double assetShare = 0.25 * random.nextDouble();
        final String category = pick(CATEGORIES);
        int listing = 1;
        int product = random.nextInt(3_000);
        int onListing;
        String previous = "/category/" + category;
        boolean assetNext;

        Stealth(String user) {
            super(user, Kind.STEALTH, 40 + random.nextInt(200));
        }

        @Override
        DemoEvent next() {
            if (assetNext) {
                assetNext = false;
                return event(pick(ASSETS), 200, "GET", 1_000 + random.nextInt(150_000), 5 + random.nextDouble() * 80,
                        agent, "https://shop.example" + previous, pace());
            }
            String page = onListing == 0 ? "/category/" + category + "?page=" + listing++ : "/products/" + product++;
            onListing = (onListing + 1) % 12;
            String referrer = "https://shop.example" + previous;
            previous = page;
            assetNext = random.nextDouble() < assetShare;
            return event(page, 200, "GET", 8_000 + random.nextInt(90_000), 40 + random.nextDouble() * 900, agent,
                    referrer, assetNext ? 30 + random.nextInt(200) : pace());
        }

        private long pace() {
            return (long) (intervalMs * (1 - jitter + 2 * jitter * random.nextDouble()));
        }
    }

    private DemoEvent malformed() {
        String id = "bad-" + Long.toString(sequence, 36);
        String[] kinds = {
                "not json at all",
                "{\"event_id\":\"" + id + "\",\"user_id\":\"u\",\"timestamp\":1,\"path\":\"/\"}",
                "{\"event_id\":\"" + id + "\",\"user_id\":\"u\",\"timestamp\":1,\"path\":\"/\",\"status\":\"ok\"}",
                "{\"event_id\":\"" + id + "\",\"user_id\":\"u\",\"timestamp\":1,\"path\":\"/\",\"status\":999}",
                "[\"" + id + "\"]",
                "{\"event_id\":\"" + id + " with spaces\",\"user_id\":\"u\",\"timestamp\":1,\"path\":\"/\",\"status\":200}",
                ""};
        String value = kinds[random.nextInt(kinds.length)];
        return new DemoEvent(id, value.getBytes(StandardCharsets.UTF_8), false, true, Kind.MALFORMED, id, 0);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
