package io.streaminference.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than any the app reads (the sign-in form is the largest) with a 413 problem before
 * anything buffers it. Bodies sent without a length are bounded by Tomcat's form and swallow limits.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    /** The sign-in form is a few hundred bytes; the API reads no body. */
    static final long MAX_BYTES = 64 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            ProblemResponses.write(response, 413, "Content Too Large", "The request body is larger than "
                    + MAX_BYTES + " bytes");
            return;
        }
        chain.doFilter(request, response);
    }
}
