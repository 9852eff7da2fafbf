package dev.taskscheduler.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication of the api-server. The OAuth2 issuer itself is Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*} ({@code issuer-uri} or {@code jwk-set-uri},
 * {@code audiences}); without it only API keys are accepted.
 *
 * @param enabled false runs the API without authentication: every request may do everything.
 *                For a closed network only; logged as a warning at every start.
 * @param apiKeys API keys
 * @param oauth2  how OAuth2 tokens map to callers
 */
@ConfigurationProperties("scheduler.security")
public record SecurityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue ApiKeys apiKeys,
        @DefaultValue OAuth2 oauth2) {

    /**
     * @param cacheTtl  how long a verified key (or an unknown one) is remembered in memory: the
     *                  delay after which a revocation takes effect on the other api-server
     *                  instances (the instance that revokes forgets at once). A key in use is read
     *                  again in the background after half of it.
     * @param cacheSize       most keys remembered
     * @param defaultLifetime how long a new key is valid when its request does not say
     * @param maxLifetime     the longest validity a request may ask for
     */
    public record ApiKeys(@DefaultValue("15s") Duration cacheTtl, @DefaultValue("10000") long cacheSize,
            @DefaultValue("90d") Duration defaultLifetime, @DefaultValue("730d") Duration maxLifetime) {
    }

    /**
     * @param principalClaim claim that names the caller in audit rows
     * @param taskTypesClaim claim listing the task types the caller reaches (a list of strings);
     *                       without it the token reaches every type
     */
    public record OAuth2(@DefaultValue("sub") String principalClaim,
            @DefaultValue("task_types") String taskTypesClaim) {
    }
}
