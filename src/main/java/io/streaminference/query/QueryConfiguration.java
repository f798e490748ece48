package io.streaminference.query;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Web plumbing of the query API: the API-key guard in front of {@code /api/*}. */
@Configuration(proxyBeanMethods = false)
class QueryConfiguration {

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiProperties properties) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyFilter(properties.keys()));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
