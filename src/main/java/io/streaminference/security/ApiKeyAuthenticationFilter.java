package io.streaminference.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * API keys in the Spring Security chain of the app's port: a request with a known {@code X-API-Key} is a reader; an
 * unknown key is refused at once (401), even where the API is open, so a wrong key never passes unnoticed. Without
 * the header the other ways to sign in (a user's login or Basic credentials) apply.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final List<byte[]> keys;
    private final AuthenticationEntryPoint refusal;

    ApiKeyAuthenticationFilter(List<String> keys, AuthenticationEntryPoint refusal) {
        this.keys = keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!known(presented)) {
            refusal.commence(request, response, new BadCredentialsException("unknown API key"));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("api-key", null,
                AuthorityUtils.createAuthorityList("ROLE_" + SecurityProperties.Role.READER.name())));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private boolean known(String presented) {
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        // Compare with every key in constant time, so timing does not tell how much of a key was right.
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, candidate);
        }
        return match;
    }
}
