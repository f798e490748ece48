package io.streaminference.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ApiKeyFilterTests {

    private static final String KEY = "k-0123456789abcdef";

    @Test
    void letsEveryRequestThroughWhenNoKeysAreConfigured() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        new ApiKeyFilter(List.of()).doFilter(request(null), new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void passesARequestCarryingAConfiguredKey() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        new ApiKeyFilter(List.of("other-key-0123456789", KEY)).doFilter(request(KEY), new MockHttpServletResponse(),
                chain);

        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void answersAMissingOrUnknownKeyWithUnauthorizedProblem() throws Exception {
        for (String presented : new String[] {null, "", KEY + "x", KEY.substring(1)}) {
            MockFilterChain chain = new MockFilterChain();
            MockHttpServletResponse response = new MockHttpServletResponse();
            new ApiKeyFilter(List.of(KEY)).doFilter(request(presented), response, chain);

            assertThat(chain.getRequest()).as(presented).isNull();
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getContentType()).isEqualTo("application/problem+json");
            assertThat(response.getContentAsString()).contains("\"status\":401").doesNotContain(KEY);
            assertThat(response.getHeader("WWW-Authenticate")).contains("X-API-Key");
        }
    }

    private static MockHttpServletRequest request(String key) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/predictions/evt-1");
        if (key != null) {
            request.addHeader(ApiKeyFilter.HEADER, key);
        }
        return request;
    }
}
