package dev.taskscheduler.api.security;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Authenticates API keys. The cost per request is a format check, one SHA-256 and a lookup in
 * memory: a key's row is read from PostgreSQL once per {@code cache-ttl}, and unknown keys are
 * remembered as such too, so repeating a wrong key does not reach the database either.
 *
 * <p>A key in use is read again in the background once half of {@code cache-ttl} has passed, while
 * its requests go on with what was read before. Were it only dropped at {@code cache-ttl}, every
 * request with that key would queue behind the one that reads it: under load, a stall of a few
 * hundred milliseconds every {@code cache-ttl}. A key not used for {@code cache-ttl} is dropped, so
 * no answer is older than that.
 */
@Component
public class ApiKeyAuthenticator {

    private final ApiKeyRepository keys;
    private final Clock clock = Clock.systemUTC();
    private final LoadingCache<ByteBuffer, Verified> verified;

    @Autowired
    public ApiKeyAuthenticator(ApiKeyRepository keys, SecurityProperties properties) {
        this(keys, properties, Ticker.systemTicker());
    }

    /** @param ticker the cache's time source: a test's own lets it pass time without waiting */
    ApiKeyAuthenticator(ApiKeyRepository keys, SecurityProperties properties, Ticker ticker) {
        this.keys = keys;
        Duration ttl = properties.apiKeys().cacheTtl();
        Caffeine<Object, Object> cache = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(ttl)
                .maximumSize(properties.apiKeys().cacheSize());
        Duration refreshAfter = ttl.dividedBy(2);
        if (!refreshAfter.isZero()) { // a cache-ttl of 0 remembers nothing, so there is nothing to refresh
            cache.refreshAfterWrite(refreshAfter);
        }
        this.verified = cache.build(this::load);
    }

    /** @throws BadCredentialsException for a malformed, unknown, expired or revoked key */
    public Authentication authenticate(String key) {
        if (!ApiKeyFormat.isWellFormed(key)) {
            throw new BadCredentialsException("The API key is malformed");
        }
        return authenticateHash(ApiKeyFormat.hash(key));
    }

    /**
     * Authenticates the key with this SHA-256 again, e.g. for a console session, which keeps the
     * hash rather than the key: a key revoked or expired since ends the session as it would a request.
     *
     * @throws BadCredentialsException for an unknown, expired or revoked key
     */
    public Authentication authenticateHash(byte[] hash) {
        Verified entry = verified.get(ByteBuffer.wrap(hash.clone()));
        if (entry.key() == null) {
            throw new BadCredentialsException("The API key is not known");
        }
        if (!entry.key().isActiveAt(clock.instant())) {
            throw new BadCredentialsException("The API key has expired or was revoked");
        }
        return entry.authentication();
    }

    /** Forgets every verified key, e.g. after a revocation on this instance. */
    public void forgetAll() {
        verified.invalidateAll();
    }

    private Verified load(ByteBuffer hash) {
        return keys.findByHash(hash.array())
                .map(key -> new Verified(key, new CallerAuthentication(callerOf(key))))
                .orElse(Verified.UNKNOWN);
    }

    static Caller callerOf(ApiKey key) {
        Set<Scope> scopes = key.scopes().stream().map(Scope::fromValue)
                .flatMap(java.util.Optional::stream)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return new Caller("key:" + key.name(), scopes,
                key.taskTypes() == null ? null : Set.copyOf(key.taskTypes()));
    }

    /** A looked-up hash: the key and its ready-made authentication, or neither for an unknown key. */
    private record Verified(ApiKey key, Authentication authentication) {
        static final Verified UNKNOWN = new Verified(null, null);
    }
}
