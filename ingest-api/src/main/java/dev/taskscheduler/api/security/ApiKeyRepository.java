package dev.taskscheduler.api.security;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code api_keys}: keys by hash, never the keys themselves. */
@Repository
public class ApiKeyRepository {

    private static final String COLUMNS =
            "id, name, key_prefix, scopes, task_types, created_at, created_by, expires_at, revoked_at, revoked_by";
    private static final RowMapper<ApiKey> ROW_MAPPER = ApiKeyRepository::map;

    private final JdbcClient jdbc;

    public ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public ApiKey insert(UUID id, String name, String key, List<String> scopes, List<String> taskTypes,
            Instant expiresAt, String createdBy) {
        return jdbc.sql("""
                        INSERT INTO api_keys (id, name, key_prefix, key_hash, scopes, task_types, expires_at, created_by)
                        VALUES (:id, :name, :prefix, :hash, :scopes, :taskTypes, :expiresAt, :createdBy)
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("name", name)
                .param("prefix", ApiKeyFormat.displayed(key))
                .param("hash", ApiKeyFormat.hash(key))
                .param("scopes", scopes.toArray(String[]::new))
                .param("taskTypes", taskTypes == null ? null : taskTypes.toArray(String[]::new))
                .param("expiresAt", expiresAt == null ? null : Timestamp.from(expiresAt))
                .param("createdBy", createdBy)
                .query(ROW_MAPPER)
                .single();
    }

    /** The key with this hash, whatever its state (the caller checks expiry and revocation). */
    public Optional<ApiKey> findByHash(byte[] hash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = :hash")
                .param("hash", hash)
                .query(ROW_MAPPER)
                .optional();
    }

    /** Newest first; revoked keys only when asked for. */
    public List<ApiKey> list(boolean includeRevoked, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys"
                        + (includeRevoked ? "" : " WHERE revoked_at IS NULL")
                        + " ORDER BY created_at DESC, id LIMIT :limit")
                .param("limit", limit)
                .query(ROW_MAPPER)
                .list();
    }

    /** Revokes a key once; empty when there is no such key or it was revoked already. */
    public Optional<ApiKey> revoke(UUID id, String revokedBy) {
        return jdbc.sql("""
                        UPDATE api_keys SET revoked_at = now(), revoked_by = :by
                         WHERE id = :id AND revoked_at IS NULL
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("by", revokedBy)
                .query(ROW_MAPPER)
                .optional();
    }

    public Optional<ApiKey> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id").param("id", id)
                .query(ROW_MAPPER).optional();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_prefix"),
                strings(rs.getArray("scopes")), strings(rs.getArray("task_types")),
                instant(rs.getTimestamp("created_at")), rs.getString("created_by"),
                instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")),
                rs.getString("revoked_by"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
