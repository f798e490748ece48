package io.streaminference.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

/** One scrape of the app's /actuator/prometheus, and the sums and histograms the harness reads from it. */
record Prometheus(List<Sample> samples) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** bench/run.sh starts the app with this operator, its actuator on the app's port. */
    private static final String AUTHORIZATION = io.streaminference.testing.Management.basic(
            io.streaminference.testing.Management.OPERATOR, io.streaminference.testing.Management.OPERATOR_PASSWORD);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Sample(String name, String labels, double value) {
    }

    static Prometheus scrape(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Authorization", AUTHORIZATION).timeout(Duration.ofSeconds(5)).build();
        return parse(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * One meter's value from /actuator/metrics (e.g. {@code pipeline.records.out}, {@code stage:sink}): far cheaper
     * for the app than a whole Prometheus scrape, so the harness can poll it often without measuring itself.
     */
    static double meter(int port, String name, String tag) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name
                + "?tag=" + tag)).header("Authorization", AUTHORIZATION).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0; // not registered until the first record
        }
        return JSON.readTree(response.body()).path("measurements").path(0).path("value").asDouble();
    }

    static Prometheus parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            String labels = brace < 0 ? "" : series.substring(brace);
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Prometheus(samples);
    }

    /** Sum over every series of {@code name} whose labels contain each of {@code labelFilters} (e.g. stage="sink"). */
    double sum(String name, String... labelFilters) {
        return values(name, labelFilters).sum();
    }

    /** How many series {@link #sum} adds up. */
    long count(String name, String... labelFilters) {
        return values(name, labelFilters).count();
    }

    /** Largest value over the same series as {@link #sum}; 0 when there is none. */
    double max(String name, String... labelFilters) {
        return values(name, labelFilters).max().orElse(0);
    }

    private DoubleStream values(String name, String... labelFilters) {
        return samples.stream().filter(sample -> sample.name.equals(name) && matches(sample.labels, labelFilters))
                .mapToDouble(Sample::value);
    }

    /** Cumulative bucket counts of a histogram by upper bound in seconds, summed over its series. */
    TreeMap<Double, Double> buckets(String histogram) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name.equals(histogram + "_bucket")) {
                int le = sample.labels.indexOf("le=\"") + 4;
                String bound = sample.labels.substring(le, sample.labels.indexOf('"', le));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(upper, sample.value, Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The {@code q} quantile in milliseconds of the observations between two scrapes' cumulative buckets, linearly
     * interpolated inside its bucket as Prometheus' histogram_quantile does.
     */
    static double quantileMs(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        after.forEach((upper, count) -> delta.put(upper, count - before.getOrDefault(upper, 0.0)));
        double total = delta.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (var bucket : delta.entrySet()) {
            if (bucket.getValue() >= rank) {
                double upper = bucket.getKey().isInfinite() ? lower : bucket.getKey();
                double inBucket = bucket.getValue() - below;
                double fraction = inBucket <= 0 ? 1 : (rank - below) / inBucket;
                return 1000 * (lower + (upper - lower) * fraction);
            }
            lower = bucket.getKey();
            below = bucket.getValue();
        }
        return 1000 * lower;
    }

    private static boolean matches(String labels, String... filters) {
        for (String filter : filters) {
            if (!labels.contains(filter)) {
                return false;
            }
        }
        return true;
    }
}
