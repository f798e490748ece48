package io.streaminference.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

class ApiKeyAuthenticationFilterTests {

    private static final String KEY = "k-0123456789abcdef";
    private static final ProblemResponses PROBLEMS = new ProblemResponses("ApiKey header=\"X-API-Key\"");

    @Test
    void leavesARequestWithoutAKeyToTheOtherWaysToSignIn() throws Exception {
        AtomicReference<Authentication> seen = new AtomicReference<>();
        new ApiKeyAuthenticationFilter(List.of(KEY), PROBLEMS).doFilter(request(null), new MockHttpServletResponse(),
                (request, response) -> seen.set(SecurityContextHolder.getContext().getAuthentication()));

        assertThat(seen.get()).isNull();
    }

    @Test
    void makesARequestCarryingAConfiguredKeyAReader() throws Exception {
        AtomicReference<Authentication> seen = new AtomicReference<>();
        new ApiKeyAuthenticationFilter(List.of("other-key-0123456789", KEY), PROBLEMS).doFilter(request(KEY),
                new MockHttpServletResponse(),
                (request, response) -> seen.set(SecurityContextHolder.getContext().getAuthentication()));

        assertThat(seen.get().getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly(
                "ROLE_READER");
        assertThat(SecurityContextHolder.getContext().getAuthentication()).as("cleared after the request").isNull();
    }

    @Test
    void answersAnUnknownKeyWithUnauthorizedProblem() throws Exception {
        for (String presented : new String[] {"", KEY + "x", KEY.substring(1)}) {
            AtomicReference<Boolean> passed = new AtomicReference<>(false);
            MockHttpServletResponse response = new MockHttpServletResponse();
            new ApiKeyAuthenticationFilter(List.of(KEY), PROBLEMS).doFilter(request(presented), response,
                    (request, ignored) -> passed.set(true));

            assertThat(passed.get()).as(presented).isFalse();
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getContentType()).isEqualTo("application/problem+json");
            assertThat(response.getContentAsString()).contains("\"status\":401").doesNotContain(KEY);
            assertThat(response.getHeader("WWW-Authenticate")).contains("X-API-Key");
        }
    }

    private static MockHttpServletRequest request(String key) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/predictions/evt-1");
        if (key != null) {
            request.addHeader(ApiKeyAuthenticationFilter.HEADER, key);
        }
        return request;
    }
}
