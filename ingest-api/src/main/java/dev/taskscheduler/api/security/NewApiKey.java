package dev.taskscheduler.api.security;

import java.time.Instant;
import java.util.List;

/**
 * A request to create an API key.
 *
 * @param name      unique among active keys; the caller's name in audit rows ({@code key:<name>})
 * @param scopes    e.g. {@code ["tasks:submit","tasks:read"]}; see {@link Scope}
 * @param taskTypes the task types the key reaches (absent: every type); not with {@code admin}
 * @param expiresIn ISO-8601 duration from now (default {@code scheduler.security.api-keys.default-lifetime})
 * @param expiresAt or an instant; at most {@code max-lifetime} ahead
 */
public record NewApiKey(String name, List<String> scopes, List<String> taskTypes, String expiresIn,
        Instant expiresAt) {
}
