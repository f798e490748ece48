package io.streaminference.preprocess;

import static io.streaminference.preprocess.Preprocessor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streaminference.contract.FeatureSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreprocessorTests {

    private final Preprocessor preprocessor = new Preprocessor();

    @Test
    void producesOneValuePerSchemaFeature() {
        assertThat(preprocessor.features(event())).hasSize(FeatureSchema.SIZE);
    }

    @Test
    void encodesHourOfDayAsSineAndCosine() {
        // 06:00 UTC is a quarter of the day: sin 1, cos 0.
        float[] f = preprocessor.features(withTime(6 * 3_600_000L));
        assertThat(f[HOUR_SIN]).isCloseTo(1f, within(1e-6f));
        assertThat(f[HOUR_COS]).isCloseTo(0f, within(1e-6f));
        float[] midnight = preprocessor.features(withTime(86_400_000L * 3));
        assertThat(midnight[HOUR_SIN]).isCloseTo(0f, within(1e-6f));
        assertThat(midnight[HOUR_COS]).isCloseTo(1f, within(1e-6f));
    }

    @ParameterizedTest
    @CsvSource({"/, 0", "/a, 0.1", "/a/b/c, 0.3", "//a//b/, 0.2", "https://x.org/a/b?q=1/2/3, 0.2",
            "/1/2/3/4/5/6/7/8/9/10/11/12, 1"})
    void scalesPathDepthAndSaturatesAtTen(String path, float expected) {
        assertThat(preprocessor.features(withPath(path))[PATH_DEPTH]).isCloseTo(expected, within(1e-6f));
    }

    @ParameterizedTest
    @CsvSource({"/static/app.js, 1", "/img/Logo.PNG, 1", "/fonts/a.woff2?v=3, 1", "/products/42, 0",
            "/a.b/c, 0", "/file., 0"})
    void flagsStaticAssetsByExtension(String path, float expected) {
        assertThat(preprocessor.features(withPath(path))[STATIC_ASSET]).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"200, 0, 0, 0", "304, 1, 0, 0", "404, 0, 1, 0", "503, 0, 0, 1"})
    void oneHotEncodesStatusClass(int status, float s3, float s4, float s5) {
        float[] f = preprocessor.features(withStatus(status));
        assertThat(new float[] {f[STATUS_3XX], f[STATUS_4XX], f[STATUS_5XX]}).containsExactly(s3, s4, s5);
    }

    @Test
    void logScalesBytesAndDuration() {
        ClickEvent e = new ClickEvent("e", "u", 0, "/", 200, "GET", 1_000_000, 250.0, "Mozilla", "", "");
        float[] f = preprocessor.features(e);
        assertThat(f[LOG_BYTES]).isCloseTo((float) (Math.log1p(1_000_000) / 16), within(1e-6f));
        assertThat(f[LOG_DURATION]).isCloseTo((float) (Math.log1p(250) / 10), within(1e-6f));
    }

    @ParameterizedTest
    @CsvSource(value = {"curl/8.5.0|1", "Googlebot/2.1|1", "python-requests/2.32|1", "''|1",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0|0"}, delimiter = '|')
    void flagsBotLikeOrMissingUserAgents(String agent, float expected) {
        ClickEvent e = new ClickEvent("e", "u", 0, "/", 200, "GET", 0, 0, agent, "", "");
        assertThat(preprocessor.features(e)[BOT_USER_AGENT]).isEqualTo(expected);
    }

    @Test
    void flagsReferrerMethodQueryAndSensitivePaths() {
        ClickEvent e = new ClickEvent("e", "u", 0, "/WP-Admin/setup.php?step=1", 200, "POST", 0, 0, "Mozilla",
                "https://example.com", "");
        float[] f = preprocessor.features(e);
        assertThat(f[REFERRER_PRESENT]).isEqualTo(1f);
        assertThat(f[NON_GET_METHOD]).isEqualTo(1f);
        assertThat(f[HAS_QUERY]).isEqualTo(1f);
        assertThat(f[SENSITIVE_PATH]).isEqualTo(1f);

        float[] plain = preprocessor.features(event());
        assertThat(new float[] {plain[REFERRER_PRESENT], plain[NON_GET_METHOD], plain[HAS_QUERY],
                plain[SENSITIVE_PATH]}).containsOnly(0f);
    }

    @Test
    void headCountsAsAReadLikeGet() {
        ClickEvent head = new ClickEvent("e", "u", 0, "/", 200, "HEAD", 0, 0, "Mozilla", "", "");
        assertThat(preprocessor.features(head)[NON_GET_METHOD]).isZero();
    }

    private static ClickEvent event() {
        return new ClickEvent("e", "u", 0, "/products/1", 200, "GET", 512, 20, "Mozilla/5.0", "", "");
    }

    private static ClickEvent withTime(long millis) {
        return new ClickEvent("e", "u", millis, "/", 200, "GET", 0, 0, "Mozilla", "", "");
    }

    private static ClickEvent withPath(String path) {
        return new ClickEvent("e", "u", 0, path, 200, "GET", 0, 0, "Mozilla", "", "");
    }

    private static ClickEvent withStatus(int status) {
        return new ClickEvent("e", "u", 0, "/", status, "GET", 0, 0, "Mozilla", "", "");
    }
}
