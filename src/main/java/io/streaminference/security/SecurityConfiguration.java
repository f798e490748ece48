package io.streaminference.security;

import io.streaminference.query.ApiProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, with Spring Security. The management port (actuator): liveness, readiness and the health summary
 * open to the kubelet, everything else behind Basic credentials — dead letters and model configuration for operators,
 * the Prometheus scrape for a metrics or operator user (or open, where the network decides). The app's port: the
 * dashboard's page is open, its data and the API need an API key, a user's login or Basic credentials (or
 * {@code pipeline.api.open=true}, on purpose); redriving from the dashboard needs an operator. Every refusal is a
 * problem+json.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String OPERATOR = SecurityProperties.Role.OPERATOR.name();
    private static final String READER = SecurityProperties.Role.READER.name();
    private static final String METRICS = SecurityProperties.Role.METRICS.name();

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** The configured users; none is made up (Spring Boot's generated password is never used). */
    @Bean
    UserDetailsService users(SecurityProperties security, ApiProperties api) {
        List<UserDetails> users = security.users().stream().map(user -> User.withUsername(user.name())
                .password(user.password()).roles(user.roles().stream().map(Enum::name).toArray(String[]::new))
                .build()).toList();
        if (users.isEmpty() && api.keys().isEmpty() && !api.open()) {
            log.warn("The API and the dashboard are closed and no one can sign in: set pipeline.api.keys, "
                    + "pipeline.security.users, or pipeline.api.open=true (only behind a gateway that authenticates)");
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    RequestRejectedHandler requestRejectedHandler() {
        return new ProblemResponses("");
    }

    /** (Web chains only where there is a web server: an app started without one still gets its users.) */
    @Bean
    @Order(1)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain managementSecurity(HttpSecurity http, SecurityProperties security) throws Exception {
        ProblemResponses problems = new ProblemResponses("Basic realm=\"stream-inference management\"");
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> {
                    // Probes and the bare status; details only to a caller who signed in (show-details).
                    requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll();
                    if (security.metricsOpen()) {
                        requests.requestMatchers(EndpointRequest.to("prometheus")).permitAll();
                    } else {
                        requests.requestMatchers(EndpointRequest.to("prometheus")).hasAnyRole(METRICS, OPERATOR);
                    }
                    requests.anyRequest().hasRole(OPERATOR);
                })
                .addFilterBefore(ClosedCors.filter(), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                // Machines with credentials on each request, no browser session: nothing for a forged request to ride.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    @Order(2)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain applicationSecurity(HttpSecurity http, ApiProperties api) throws Exception {
        ProblemResponses problems = new ProblemResponses("ApiKey header=\"" + ApiKeyAuthenticationFilter.HEADER
                + "\", Basic realm=\"stream-inference\"");
        RequestMatcher apiRequests = request -> request.getRequestURI().startsWith(request.getContextPath() + "/api/")
                || request.getRequestURI().startsWith(request.getContextPath() + "/v3/");
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers(HttpMethod.GET, "/", "/index.html", "/dashboard.js", "/dashboard.css",
                            "/webjars/**", "/favicon.ico").permitAll();
                    requests.requestMatchers("/login", "/logout", "/error").permitAll();
                    requests.requestMatchers(HttpMethod.POST, "/api/v1/dead-letters/**").hasRole(OPERATOR);
                    if (api.open()) {
                        requests.anyRequest().permitAll();
                    } else {
                        requests.anyRequest().hasAnyRole(READER, OPERATOR);
                    }
                })
                .addFilterBefore(new RequestSizeLimit(), org.springframework.security.web.header.HeaderWriterFilter.class)
                .addFilterBefore(ClosedCors.filter(), org.springframework.security.web.csrf.CsrfFilter.class)
                .addFilterBefore(new ApiKeyAuthenticationFilter(api.keys(), problems), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .formLogin(login -> login.defaultSuccessUrl("/", false))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(problems, apiRequests)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                request -> true)
                        .accessDeniedHandler(problems))
                // The dashboard signs in with a session cookie: its writes carry the XSRF-TOKEN cookie's value back
                // in X-XSRF-TOKEN. A request with an API key or Authorization header cannot be forged cross-site.
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(request -> request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null
                                || request.getHeader("Authorization") != null));
        return http.build();
    }
}
