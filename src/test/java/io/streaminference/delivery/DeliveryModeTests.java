package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/**
 * {@code pipeline.kafka.delivery} is an enum, so Boot's binder accepts it in any spelling it relaxes (dashes,
 * underscores, upper case, from an environment variable or an argument); every one of them must end in the mode it
 * names, and anything else must stop the start naming the property.
 */
class DeliveryModeTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DeliveryProperties.class)
    @Import(DeliveryConfiguration.class)
    static class Delivery {
    }

    /** Wiring only: nothing is started, so no lifecycle bean looks for a broker. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.getBeanFactory().registerSingleton(
                    AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new NothingStarts()))
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(Delivery.class)
            .withPropertyValues("pipeline.kafka.send-timeout=15s");

    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "EXACTLY_ONCE", "exactly_once", "Exactly-Once", "exactlyOnce"})
    void anySpellingOfExactlyOnceRunsTransactions(String value) {
        runner.withPropertyValues("pipeline.kafka.delivery=" + value).run(this::assertExactlyOnce);
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SimpleCommandLinePropertySource("--pipeline.kafka.delivery=" + value)))
                .run(this::assertExactlyOnce);
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PIPELINE_KAFKA_DELIVERY", value))))
                .run(this::assertExactlyOnce);
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "AT_LEAST_ONCE", "at_least_once", "At-Least-Once", "atLeastOnce"})
    void anySpellingOfAtLeastOnceRetriesInPlaceWithoutTransactions(String value) {
        runner.withPropertyValues("pipeline.kafka.delivery=" + value).run(this::assertAtLeastOnce);
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SimpleCommandLinePropertySource("--pipeline.kafka.delivery=" + value)))
                .run(this::assertAtLeastOnce);
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PIPELINE_KAFKA_DELIVERY", value))))
                .run(this::assertAtLeastOnce);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anUnsetModeIsExactlyOnce(String value) {
        runner.run(this::assertExactlyOnce);
        runner.withPropertyValues("pipeline.kafka.delivery=" + value).run(this::assertExactlyOnce);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "exactly-twice", "none"})
    void anUnknownModeStopsTheStartNamingTheProperty(String value) {
        runner.withPropertyValues("pipeline.kafka.delivery=" + value).run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("pipeline.kafka.delivery"));
    }

    /** A lifecycle processor that starts and stops nothing. */
    static final class NothingStarts implements LifecycleProcessor {
        @Override
        public void onRefresh() {
        }

        @Override
        public void onClose() {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }
    }

    private void assertExactlyOnce(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed().hasSingleBean(KafkaTransactionManager.class)
                .doesNotHaveBean(DefaultErrorHandler.class);
        assertThat(context.getBean(ProducerFactory.class).transactionCapable()).isTrue();
        assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getContainerProperties()
                .getKafkaAwareTransactionManager()).isNotNull();
    }

    private void assertAtLeastOnce(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed().doesNotHaveBean(KafkaTransactionManager.class)
                .hasSingleBean(DefaultErrorHandler.class);
        assertThat(context.getBean(ProducerFactory.class).transactionCapable()).isFalse();
        assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getContainerProperties()
                .getKafkaAwareTransactionManager()).isNull();
    }
}
