package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The local demo's settings ({@code local-demo.yml}: the API open, a known operator) for every app the test
 * classpath starts — the tests and {@code ./mvnw spring-boot:test-run}. They go right above the first config file
 * (a file's {@code ./application.yml} outranks anything on the classpath, so a classpath config file could not do
 * it) and below what a test or the command line sets. A packaged jar never has them.
 */
public final class LocalDemoSettings implements EnvironmentPostProcessor, Ordered {

    static final String NAME = "local-demo";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<PropertySource<?>> demo;
        try {
            demo = new YamlPropertySourceLoader().load(NAME, new ClassPathResource(NAME + ".yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (demo.isEmpty() || environment.getPropertySources().contains(NAME)) {
            return;
        }
        String firstConfigFile = environment.getPropertySources().stream().map(PropertySource::getName)
                .filter(name -> name.startsWith("Config resource")).findFirst().orElse(null);
        if (firstConfigFile == null) {
            environment.getPropertySources().addLast(demo.get(0));
        } else {
            environment.getPropertySources().addBefore(firstConfigFile, demo.get(0));
        }
    }

    /** After Spring Boot has loaded the config files. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
