package dev.taskscheduler.api.security;

/**
 * The answer to a key's creation, the only place the key itself ever appears.
 *
 * @param key    the secret, to send as {@code Authorization: Bearer <key>}
 * @param apiKey what is stored about it
 */
public record CreatedApiKey(String key, ApiKey apiKey) {
}
