package io.streaminference.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS closed: no other origin's page may call the app from a browser — a cross-origin request or preflight is
 * refused with a 403 problem before it reaches anything; same-origin requests (the dashboard's) are not CORS and pass.
 */
final class ClosedCors {

    private ClosedCors() {
    }

    static CorsFilter filter() {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        // No allowed origin: every cross-origin request fails the origin check.
        source.registerCorsConfiguration("/**", new CorsConfiguration());
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new DefaultCorsProcessor() {
            @Override
            protected void rejectRequest(ServerHttpResponse response) throws IOException {
                response.setStatusCode(HttpStatus.FORBIDDEN);
                response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
                response.getBody().write(ProblemResponses.body(403, "Forbidden",
                        "Cross-origin requests are not allowed").getBytes(StandardCharsets.UTF_8));
                response.flush();
            }
        });
        return filter;
    }
}
