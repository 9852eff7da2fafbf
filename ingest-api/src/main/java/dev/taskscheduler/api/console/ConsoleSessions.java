package dev.taskscheduler.api.console;

import dev.taskscheduler.api.security.ApiKeyAuthenticator;
import dev.taskscheduler.api.security.ApiKeyFormat;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Console sign-in. The browser holds only the session cookie (HttpOnly, SameSite=Strict); the
 * server-side session holds the SHA-256 of the API key that signed in, never the key. Every request
 * authenticates that hash again, through the same cache as API requests, so a key revoked or expired
 * since ends its console sessions as it ends its API access, and the scopes are the key's.
 */
public class ConsoleSessions implements SecurityContextRepository {

    private static final String KEY_HASH = ConsoleSessions.class.getName() + ".keyHash";

    private final ApiKeyAuthenticator apiKeys;

    public ConsoleSessions(ApiKeyAuthenticator apiKeys) {
        this.apiKeys = apiKeys;
    }

    /**
     * Signs in with an API key: a fresh session (the one before, with its CSRF token, is dropped, so
     * no identifier chosen before sign-in survives it) remembers the key's hash.
     *
     * @throws AuthenticationException for a malformed, unknown, expired or revoked key
     */
    public Authentication signIn(HttpServletRequest request, String key) {
        Authentication authentication = apiKeys.authenticate(key == null ? "" : key.strip());
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        request.getSession(true).setAttribute(KEY_HASH, ApiKeyFormat.hash(key.strip()));
        return authentication;
    }

    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }

    /** Read lazily, by the default {@code loadDeferredContext}, when a request first needs it. */
    @Override
    @SuppressWarnings("deprecation")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return load(holder.getRequest());
    }

    private SecurityContext load(HttpServletRequest request) {
        SecurityContext context = new SecurityContextImpl();
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(KEY_HASH) instanceof byte[] hash)) {
            return context;
        }
        try {
            context.setAuthentication(apiKeys.authenticateHash(hash));
        } catch (AuthenticationException e) {
            session.invalidate();
        }
        return context;
    }

    /** Nothing to save: {@link #signIn} writes the session, and the context is rebuilt per request. */
    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(KEY_HASH) != null;
    }
}
