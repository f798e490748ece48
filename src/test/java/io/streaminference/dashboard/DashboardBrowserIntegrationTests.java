package io.streaminference.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.StreamInferenceApplication;
import io.streaminference.local.LocalModelServer;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestBroker;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through its chromedriver) against the app on real
 * components: an embedded KRaft broker, a Redis server, and the TensorFlow-backed model server with the demo models.
 * The API has a key, so the page must ask for it. Screenshots go to {@code target/screenshots}, and with
 * {@code -Ddashboard.screenshots=docs} also to {@code docs/} (the README's pictures).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIntegrationTests {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String KEY = "dashboard-test-key-0123456789";
    static final int EVENTS = 400;
    static final Duration WAIT = Duration.ofSeconds(90);

    EmbeddedKafkaBroker broker;
    TestRedis redis;
    LocalModelServer model;
    ConfigurableApplicationContext app;
    int port;
    int managementPort;
    String state;
    WebDriver browser;
    Path profile;

    @BeforeAll
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: no /usr/bin/chromium and /usr/bin/chromedriver "
                        + "(apt-get install chromium chromium-driver; .ci/run does)");
        broker = TestBroker.start();
        redis = TestRedis.start();
        model = LocalModelServer.start(Path.of("models"), 0, Duration.ofSeconds(2));
        port = TestRedis.freePort();
        managementPort = TestRedis.freePort();
        state = StateDirs.argument();
        app = startApp();
        profile = Files.createTempDirectory("dashboard-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync",
                "--user-data-dir=" + profile);
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // An explicit driver: Selenium Manager, which could download one, is never asked.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1500));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (model != null) {
            model.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    private ConfigurableApplicationContext startApp() {
        return new SpringApplicationBuilder(StreamInferenceApplication.class).run(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                state,
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=2",
                "--pipeline.sessions.inactivity-gap=5s",
                "--pipeline.api.keys=" + KEY,
                // The test classpath opens the API for the local demo; this page must ask for its key.
                "--pipeline.api.open=false",
                "--management.server.port=" + managementPort);
    }

    @Test
    @Order(1)
    void asksForTheKeyThenShowsLiveNumbersThatMoveWithTrafficAndMatchTheAppsMetrics() throws Exception {
        browser.get(base());
        WebElement keyForm = browser.findElement(By.id("key-form"));
        await().atMost(WAIT).until(keyForm::isDisplayed);
        browser.findElement(By.id("api-key")).sendKeys(KEY);
        browser.findElement(By.cssSelector("#key-form button")).click();
        await().atMost(WAIT).until(() -> text("#feed-status").equals("live"));
        assertThat(browser.findElement(By.id("key-form")).isDisplayed()).isFalse();

        // Batches of 50, each awaited on the page: its count moves with the traffic, and some second shows a rate.
        List<Long> seen = new ArrayList<>();
        double[] fastest = {0};
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(new ProducerRecord<>(topics().events(), ClickEvents.utf8(ClickEvents.userId(i)),
                        ClickEvents.utf8(ClickEvents.valid(i))));
                if (i % 50 == 49) {
                    producer.flush();
                    long sent = i + 1;
                    await().atMost(WAIT).until(() -> {
                        fastest[0] = Math.max(fastest[0], perSecondOnPage("preprocess"));
                        return consumedOnPage("preprocess") >= sent;
                    });
                    seen.add(consumedOnPage("preprocess"));
                }
            }
            producer.send(new ProducerRecord<>(topics().events(), ClickEvents.utf8("user-x"), malformed()));
        }
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(fastest[0]).isPositive();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add(ClickEvents.eventId(i));
        }
        StoredPredictions stored = new StoredPredictions(app.getBean(StringRedisTemplate.class),
                app.getBean(RedisKeys.class));
        await().atMost(WAIT).until(() -> stored.allStored(ids));
        // Once the flow stops, the page's totals are the app's own meters.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(consumedOnPage("sink")).isEqualTo(metric("pipeline.records.in", "stage:sink"));
            assertThat(consumedOnPage("preprocess")).isEqualTo(metric("pipeline.records.in", "stage:preprocess"))
                    .isEqualTo(EVENTS + 1);
        });
        await().atMost(WAIT).until(() -> !browser.findElements(
                By.cssSelector("#dead-letter-reasons tr[data-reason='out_of_range']")).isEmpty());
        await().atMost(WAIT).until(() -> !browser.findElements(
                By.cssSelector("#model-cards [data-model='clickstream-bot'][data-version='1']")).isEmpty());
        await().atMost(WAIT).until(() -> !text("#p99").equals("–"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#served-models tr[data-model='clickstream-bot']"))
                .contains("1 available"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(text(
                "#online-evaluation tr[data-model='clickstream-bot'][data-version='1']")).contains("available"));
        screenshot("dashboard-live.png");
        assertNoScriptErrors();
    }

    @Test
    @Order(2)
    void journeyOfAStoredEventShowsItsStagesAndTheVersionThatAnswered() throws IOException {
        lookUp(ClickEvents.eventId(7));
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#journey-result")).contains("stored"));
        assertThat(text("[data-testid=journey-status]")).isEqualTo("stored");
        assertThat(browser.findElements(By.cssSelector("#journey-result li[data-step]")).stream()
                .map(li -> li.getAttribute("data-step")).toList())
                .containsExactly("ingested", "preprocessed", "predicted", "stored");
        assertThat(text("#journey-result li[data-step=ingested] .where")).startsWith("s0 · partition");
        assertThat(text("#journey-result li[data-step=preprocessed] .where")).startsWith("s1 ·");
        assertThat(text("#journey-result li[data-step=predicted] .where")).startsWith("s2 ·");
        assertThat(text("[data-testid=journey-version]")).isEqualTo("1");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('journey').scrollIntoView()");
        screenshot("dashboard-journey.png");
    }

    @Test
    @Order(3)
    void journeyOfAMalformedEventShowsItsDeadLetterReason() {
        lookUp("bad-1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#journey-result")).contains("out_of_range"));
        assertThat(text("[data-testid=journey-status]")).isEqualTo("dead lettered");
        assertThat(text("[data-testid=journey-reason]")).isEqualTo("out_of_range");
    }

    @Test
    @Order(4)
    void markupInAnEventShowsAsText() {
        browser.findElement(By.id("dead-letters-refresh")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#dead-letter-list"))
                .contains("<script>window.injected=1</script>"));
        lookUp("bad-1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("[data-testid=journey-dead-letter] pre"))
                .contains("<script>"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.injected === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#dead-letter-list script, #journey-result script"))).isEmpty();
        assertNoScriptErrors();
    }

    /** The page's scripts ran without an uncaught error (a syntax error would leave a page that shows nothing). */
    private void assertNoScriptErrors() {
        assertThat(browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .extracting(entry -> entry.getMessage()).noneMatch(message -> message.contains("Uncaught"));
    }

    @Test
    @Order(5)
    void liveFeedReconnectsWhenTheAppRestarts() {
        app.close();
        await().atMost(WAIT).until(() -> text("#feed-status").startsWith("reconnecting"));
        app = startApp();
        await().atMost(WAIT).until(() -> text("#feed-status").equals("live"));
        String before = text("#live-time");
        await().atMost(WAIT).until(() -> !text("#live-time").equals(before));
    }

    private static byte[] malformed() {
        // Valid JSON with an id, refused for its status; its path is markup that must show as text.
        return ClickEvents.utf8("{\"event_id\":\"bad-1\",\"user_id\":\"user-x\",\"timestamp\":1767225600000,"
                + "\"path\":\"/<script>window.injected=1</script>\",\"status\":700}");
    }

    private void lookUp(String eventId) {
        WebElement input = browser.findElement(By.id("journey-id"));
        input.clear();
        input.sendKeys(eventId);
        browser.findElement(By.cssSelector("#journey-form button")).click();
    }

    private long consumedOnPage(String stage) {
        return (long) number("#stages tr[data-stage='" + stage + "'] td.consumed");
    }

    private double perSecondOnPage(String stage) {
        return number("#stages tr[data-stage='" + stage + "'] td.per-s");
    }

    private double number(String css) {
        String digits = text(css).replace(",", "");
        return digits.matches("[0-9.]+") ? Double.parseDouble(digits) : 0;
    }

    /** Read in one script call: the live view replaces its rows every second, so a found element can go stale. */
    private String text(String css) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const found = document.querySelector(arguments[0]); return found ? found.textContent : '';", css);
        return text == null ? "" : text.toString().trim();
    }

    /** A meter's value as the actuator on the management port reports it to the operator. */
    private long metric(String name, String tag) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/metrics/" + name + "?tag=" + tag))
                        .header("Authorization", io.streaminference.testing.Management.basic(
                                io.streaminference.testing.Management.OPERATOR,
                                io.streaminference.testing.Management.OPERATOR_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher value = Pattern.compile("\"value\":([0-9.E]+)").matcher(response.body());
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    private TopicsProperties topics() {
        return app.getBean(TopicsProperties.class);
    }

    private String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target/screenshots");
        Files.createDirectories(target);
        Files.copy(shot.toPath(), target.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("dashboard.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.copy(shot.toPath(), Path.of(docs).resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
