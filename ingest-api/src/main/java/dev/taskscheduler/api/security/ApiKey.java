package dev.taskscheduler.api.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as stored and listed: everything but the key itself, which exists only in the
 * answer to its creation.
 *
 * @param prefix    the first characters of the key, to tell keys apart
 * @param taskTypes task types it reaches; {@code null}: every type
 * @param expiresAt {@code null}: never expires
 */
public record ApiKey(
        UUID id,
        String name,
        String prefix,
        List<String> scopes,
        List<String> taskTypes,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy) {

    /** Whether the key authenticates requests at {@code now}. */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
