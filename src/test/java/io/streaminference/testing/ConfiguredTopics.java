package io.streaminference.testing;

import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The topic names of the top-level application.yml, bound as the app binds them: for tests that run the packaged app
 * as a child process and so have no application context to ask.
 */
public final class ConfiguredTopics {

    private ConfiguredTopics() {
    }

    public static TopicsProperties load() {
        try {
            StandardEnvironment environment = new StandardEnvironment();
            new YamlPropertySourceLoader().load("application.yml", new FileSystemResource("application.yml"))
                    .forEach(environment.getPropertySources()::addLast);
            return Binder.get(environment).bind("pipeline.topics", TopicsProperties.class).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
