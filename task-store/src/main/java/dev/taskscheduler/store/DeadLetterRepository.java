package dev.taskscheduler.store;

import dev.taskscheduler.model.Json;
import java.sql.Timestamp;
import java.util.ArrayList;
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
        Where where = where(filter);
        return where.bind(jdbc.sql("SELECT " + TaskRepository.COLUMNS + " FROM tasks WHERE " + where.sql
                        + " ORDER BY finished_at, id LIMIT :limit"))
                .param("limit", filter.limit())
                .query(TaskRepository.ROW_MAPPER)
                .list();
    }

    public int count(DeadLetterFilter filter) {
        Where where = where(filter);
        return where.bind(jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM tasks WHERE " + where.sql
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
        Where where = where(filter);
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
                        RETURNING %s""".formatted(where.sql, prefixed(TaskRepository.COLUMNS))))
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

    private static Where where(DeadLetterFilter filter) {
        List<String> conditions = new ArrayList<>(List.of("status = 'dead_letter'"));
        Map<String, Object> params = new LinkedHashMap<>();
        if (!filter.taskIds().isEmpty()) {
            conditions.add("id IN (:taskIds)");
            params.put("taskIds", filter.taskIds());
        }
        if (filter.type() != null) {
            conditions.add("type = :type");
            params.put("type", filter.type());
        }
        if (filter.reachableTypes() != null) {
            conditions.add("type = ANY(:reachableTypes)");
            params.put("reachableTypes", filter.reachableTypes().toArray(String[]::new));
        }
        if (filter.errorContains() != null) {
            conditions.add("strpos(lower(coalesce(last_error, '')), lower(:errorContains)) > 0");
            params.put("errorContains", filter.errorContains());
        }
        if (filter.deadLetteredAfter() != null) {
            conditions.add("finished_at >= :after");
            params.put("after", Timestamp.from(filter.deadLetteredAfter()));
        }
        if (filter.deadLetteredBefore() != null) {
            conditions.add("finished_at < :before");
            params.put("before", Timestamp.from(filter.deadLetteredBefore()));
        }
        return new Where(String.join(" AND ", conditions), params);
    }

    private record Where(String sql, Map<String, Object> params) {

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            JdbcClient.StatementSpec bound = statement;
            for (Map.Entry<String, Object> param : params.entrySet()) {
                bound = bound.param(param.getKey(), param.getValue());
            }
            return bound;
        }
    }
}
