package io.streaminference.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Deterministic (seeded) clickstream traffic for the demo and for training the demo model: human browsing sessions
 * (pages with their static assets, referrers, think time), bot bursts (vulnerability scanners, scrapers, credential
 * stuffers — some hiding behind browser user agents) and a small share of malformed records.
 */
public final class ClickstreamSimulator {

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

    private final Random random;
    private final LongSupplier clock;
    private final double malformedRatio;
    private final List<Actor> actors = new ArrayList<>();
    private long sequence;

    /**
     * @param clock          event time source, epoch millis (the wall clock live, a simulated one for training)
     * @param malformedRatio share of records that are deliberately invalid, e.g. 0.005
     */
    public ClickstreamSimulator(long seed, LongSupplier clock, double malformedRatio) {
        this.random = new Random(seed);
        this.clock = clock;
        this.malformedRatio = malformedRatio;
    }

    public DemoEvent next() {
        sequence++;
        if (random.nextDouble() < malformedRatio) {
            return malformed();
        }
        while (actors.size() < 40) {
            actors.add(newActor());
        }
        int index = random.nextInt(actors.size());
        Actor actor = actors.get(index);
        DemoEvent event = actor.next();
        if (actor.done()) {
            actors.remove(index);
        }
        return event;
    }

    private Actor newActor() {
        double kind = random.nextDouble();
        String user = "u-" + Long.toString(Math.abs(random.nextLong()) % 1_000_000, 36);
        if (kind < 0.70) {
            return new Human(user);
        }
        if (kind < 0.82) {
            return new Scanner(user);
        }
        if (kind < 0.94) {
            return new Scraper(user);
        }
        return new Stuffer(user);
    }

    private abstract class Actor {
        final String user;
        int remaining;

        Actor(String user, int requests) {
            this.user = user;
            this.remaining = requests;
        }

        abstract DemoEvent next();

        boolean done() {
            return remaining <= 0;
        }

        DemoEvent event(boolean bot, String path, int status, String method, long bytes, double durationMs,
                String agent, String referrer) {
            remaining--;
            String id = "demo-" + Long.toString(sequence, 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
            StringBuilder json = new StringBuilder(256).append('{')
                    .append("\"event_id\":\"").append(id).append("\",")
                    .append("\"user_id\":\"").append(user).append("\",")
                    .append("\"timestamp\":").append(clock.getAsLong()).append(',')
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
            return new DemoEvent(user, json.toString().getBytes(StandardCharsets.UTF_8), bot, false);
        }
    }

    /** A person: pages followed by their assets, referrers, mostly 200/304, an occasional 404. */
    private final class Human extends Actor {
        final String agent = random.nextDouble() < 0.01 ? "" : pick(BROWSERS);
        String page;
        int assetsLeft;

        Human(String user) {
            super(user, 5 + random.nextInt(40));
        }

        @Override
        DemoEvent next() {
            if (assetsLeft > 0) {
                assetsLeft--;
                return event(false, pick(ASSETS), random.nextDouble() < 0.4 ? 304 : 200, "GET",
                        1_000 + random.nextInt(150_000), 5 + random.nextDouble() * 80, agent, "https://shop.example" + page);
            }
            String referrer = page == null ? (random.nextDouble() < 0.6 ? pick(REFERRERS) : null)
                    : "https://shop.example" + page;
            page = page == null ? pick(LANDINGS) : nextPage();
            assetsLeft = random.nextInt(5);
            boolean post = page.startsWith("/cart") || page.startsWith("/checkout");
            int status = random.nextDouble() < 0.03 ? 404 : random.nextDouble() < 0.01 ? 500 : 200;
            return event(false, page, status, post && random.nextBoolean() ? "POST" : "GET",
                    8_000 + random.nextInt(90_000), 40 + random.nextDouble() * 900, agent, referrer);
        }

        private String nextPage() {
            double p = random.nextDouble();
            if (p < 0.45) {
                return "/products/" + random.nextInt(5_000);
            }
            if (p < 0.6) {
                return "/category/" + pick(new String[] {"shoes", "coats", "bags", "hats"}) + "?page="
                        + (1 + random.nextInt(4));
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

    /** A vulnerability scanner: a burst of known-weak paths, mostly 404/403, no referrer. */
    private final class Scanner extends Actor {
        final String agent = random.nextDouble() < 0.3 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);

        Scanner(String user) {
            super(user, 20 + random.nextInt(150));
        }

        @Override
        DemoEvent next() {
            boolean probe = random.nextDouble() < 0.85;
            String path = probe ? pick(SCAN_PATHS) : "/products/" + random.nextInt(5_000);
            int status = probe ? (random.nextDouble() < 0.8 ? 404 : 403) : 200;
            return event(true, path, status, random.nextDouble() < 0.1 ? "POST" : "GET", 100 + random.nextInt(2_000),
                    1 + random.nextDouble() * 30, agent, null);
        }
    }

    /** A scraper: product pages in order, no assets, rarely a referrer, sometimes HEAD. */
    private final class Scraper extends Actor {
        final String agent = random.nextDouble() < 0.4 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);
        int product = random.nextInt(4_000);

        Scraper(String user) {
            super(user, 50 + random.nextInt(300));
        }

        @Override
        DemoEvent next() {
            String path = random.nextDouble() < 0.8 ? "/products/" + product++ : "/category/shoes?page="
                    + random.nextInt(60);
            return event(true, path, random.nextDouble() < 0.05 ? 429 : 200,
                    random.nextDouble() < 0.15 ? "HEAD" : "GET", 20_000 + random.nextInt(60_000),
                    15 + random.nextDouble() * 120, agent, random.nextDouble() < 0.1 ? pick(REFERRERS) : null);
        }
    }

    /** A credential stuffer: POSTs to the login form, mostly refused, behind a browser user agent. */
    private final class Stuffer extends Actor {
        final String agent = random.nextDouble() < 0.8 ? pick(BROWSERS) : pick(SCRIPT_AGENTS);

        Stuffer(String user) {
            super(user, 30 + random.nextInt(200));
        }

        @Override
        DemoEvent next() {
            return event(true, random.nextDouble() < 0.9 ? "/account/login" : "/", random.nextDouble() < 0.9 ? 401 : 200,
                    "POST", 300 + random.nextInt(900), 30 + random.nextDouble() * 200, agent,
                    random.nextDouble() < 0.5 ? "https://shop.example/account/login" : null);
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
        return new DemoEvent(id, value.getBytes(StandardCharsets.UTF_8), false, true);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
