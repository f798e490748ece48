package io.streaminference.delivery;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With Logback (Spring Boot's default), installs {@link TransientRollbackLogFilter} for the app's lifetime. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
class LoggingConfiguration {

    @Bean
    TransientRollbacks transientRollbacks() {
        return new TransientRollbacks();
    }

    static final class TransientRollbacks implements InitializingBean, DisposableBean {

        private final TransientRollbackLogFilter filter = new TransientRollbackLogFilter();

        @Override
        public void afterPropertiesSet() {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                filter.start();
                context.addTurboFilter(filter);
            }
        }

        @Override
        public void destroy() {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.getTurboFilterList().remove(filter);
            }
        }
    }
}
