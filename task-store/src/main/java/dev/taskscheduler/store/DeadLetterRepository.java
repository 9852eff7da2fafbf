package dev.taskscheduler.store;

import dev.taskscheduler.model.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Dead-lettered tasks: listing, counting and replaying them by filter, with an audit trail. */
public class DeadLetterRepository {

    private final JdbcClient jdbc;
    private final TaskChanges changes;

    /** @param changes told about every task this repository changes (the status cache) */
    public DeadLetterRepository(JdbcClient jdbc, TaskChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    public List<StoredTask> find(DeadLetterFilter filter) {
        return findPage(filter, null);
    }

    /**
     * Up to {@code filter.limit()} dead letters, oldest dead letter first (the order replays take),
     * after {@code after} (null: from the oldest); rows dead-lettered at the same time are ordered by id,
     * so none is skipped or repeated from page to page.
     */
    public List<StoredTask> findPage(DeadLetterFilter filter, PageCursor after) {
        SqlWhere where = where(filter);
        if (after != null) {
            where.andAll("finished_at >= :afterAt AND (finished_at > :afterAt OR id > :afterId)",
                    "afterAt", TaskRepository.timestamp(after.at()), "afterId", after.id());
        }
        return where.bind(jdbc.sql("SELECT " + TaskRepository.COLUMNS + " FROM tasks WHERE " + where.sql()
                        + " ORDER BY finished_at, id LIMIT :limit"))
                .param("limit", filter.limit())
                .query(TaskRepository.ROW_MAPPER)
                .list();
    }

    /** The latest replay requests, newest first; only those of {@code requestedBy} unless that is null. */
    public List<ReplayAudit> recentReplays(String requestedBy, int limit) {
        SqlWhere where = new SqlWhere("true").and("requested_by = :requestedBy", "requestedBy", requestedBy);
        return where.bind(jdbc.sql("""
                        SELECT id, requested_at, requested_by, filter::text AS filter, dry_run, matched, replayed
                          FROM dlq_replays WHERE %s ORDER BY requested_at DESC, id DESC LIMIT :limit"""
                        .formatted(where.sql())))
                .param("limit", limit)
                .query((rs, row) -> new ReplayAudit(rs.getLong("id"), rs.getTimestamp("requested_at").toInstant(),
                        rs.getString("requested_by"), rs.getString("filter"), rs.getBoolean("dry_run"),
                        rs.getInt("matched"), rs.getInt("replayed")))
                .list();
    }

    /** One row of {@code dlq_replays}: who asked for which replay, and what it did. */
    public record ReplayAudit(long id, java.time.Instant requestedAt, String requestedBy, String filterJson,
            boolean dryRun, int matched, int replayed) {
    }

    public int count(DeadLetterFilter filter) {
        SqlWhere where = where(filter);
        return where.bind(jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM tasks WHERE " + where.sql()
                        + " LIMIT :limit) matched"))
                .param("limit", filter.limit())
                .query(Integer.class)
                .single();
    }

    /**
     * Sets the matching dead letters back to {@code pending} with {@code retry_count} 0 and one
     * more replay, due one after another at {@code ratePerSecond}, so a large replay does not hit
     * the workers (or whatever failed) all at once. Rows being replayed concurrently are skipped.
     */
    public List<StoredTask> replay(DeadLetterFilter filter, int ratePerSecond) {
        SqlWhere where = where(filter);
        List<StoredTask> replayed = where.bind(jdbc.sql("""
                        WITH locked AS (
                            SELECT id, finished_at FROM tasks WHERE %s
                             ORDER BY finished_at, id LIMIT :limit FOR UPDATE SKIP LOCKED),
                        paced AS (
                            SELECT id, row_number() OVER (ORDER BY finished_at, id) - 1 AS position FROM locked)
                        UPDATE tasks t
                           SET status = 'pending', retry_count = 0, replay_count = t.replay_count + 1,
                               run_at = now() + make_interval(secs => paced.position::double precision / :rate),
                               worker_id = NULL, updated_at = now()
                          FROM paced
                         WHERE t.id = paced.id
                        RETURNING %s""".formatted(where.sql(), prefixed(TaskRepository.COLUMNS))))
                .param("limit", filter.limit())
                .param("rate", ratePerSecond)
                .query(TaskRepository.ROW_MAPPER)
                .list();
        changes.changed(replayed);
        return replayed;
    }

    /** Records a replay request; returns its id. */
    public long audit(String requestedBy, DeadLetterFilter filter, boolean dryRun, int matched, int replayed) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("taskIds", filter.taskIds());
        described.put("type", filter.type());
        described.put("errorContains", filter.errorContains());
        described.put("deadLetteredAfter", filter.deadLetteredAfter());
        described.put("deadLetteredBefore", filter.deadLetteredBefore());
        described.put("limit", filter.limit());
        if (filter.priority() != null) {
            described.put("priority", filter.priority().value());
        }
        if (filter.idempotencyKey() != null) {
            described.put("idempotencyKey", filter.idempotencyKey());
        }
        if (filter.typesIn() != null) {
            described.put("typesIn", filter.typesIn().stream().sorted().toList());
        }
        if (!filter.typesNotIn().isEmpty()) {
            described.put("typesNotIn", filter.typesNotIn().stream().sorted().toList());
        }
        if (filter.reachableTypes() != null) {
            described.put("reachableTypes", filter.reachableTypes().stream().sorted().toList());
        }
        return jdbc.sql("""
                        INSERT INTO dlq_replays (requested_by, filter, dry_run, matched, replayed)
                        VALUES (:by, :filter::jsonb, :dryRun, :matched, :replayed) RETURNING id""")
                .param("by", requestedBy)
                .param("filter", Json.write(described))
                .param("dryRun", dryRun)
                .param("matched", matched)
                .param("replayed", replayed)
                .query(Long.class)
                .single();
    }

    /** Column list qualified with the alias {@code t}, for the UPDATE … FROM above. */
    private static String prefixed(String columns) {
        return columns.replaceAll("(?m)(^|,)\\s*([a-z_]+)", "$1 t.$2");
    }

    private static SqlWhere where(DeadLetterFilter filter) {
        SqlWhere where = new SqlWhere("status = 'dead_letter'");
        if (!filter.taskIds().isEmpty()) {
            where.and("id IN (:taskIds)", "taskIds", filter.taskIds());
        }
        return where.types(filter.type(), filter.typesIn(), filter.typesNotIn(), filter.reachableTypes())
                .and("strpos(lower(coalesce(last_error, '')), lower(:errorContains)) > 0", "errorContains",
                        filter.errorContains())
                .and("finished_at >= :after", "after", TaskRepository.timestamp(filter.deadLetteredAfter()))
                .and("finished_at < :before", "before", TaskRepository.timestamp(filter.deadLetteredBefore()))
                .and("priority = :priority", "priority", filter.priority() == null ? null : filter.priority().value())
                .and("idempotency_key = :idempotencyKey", "idempotencyKey", filter.idempotencyKey());
    }
}
