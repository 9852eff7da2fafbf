package dev.taskscheduler.faults.check;

import dev.taskscheduler.faults.ledger.Execution;
import dev.taskscheduler.faults.load.Accepted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads what the ledger check needs from PostgreSQL and from the handler's executions files. */
public final class LedgerReader {

    private final JdbcClient db;
    private final Path ledgerDir;

    public LedgerReader(JdbcClient db, Path ledgerDir) {
        this.db = db;
        this.ledgerDir = ledgerDir;
    }

    /** The accepted tasks with the ids of topic records filled in where a task has their key. */
    public List<Accepted> resolve(List<Accepted> accepted) {
        List<String> keys = accepted.stream().filter(task -> task.id() == null).map(Accepted::idempotencyKey).toList();
        Map<String, UUID> found = new HashMap<>();
        if (!keys.isEmpty()) {
            db.sql("SELECT idempotency_key, id FROM tasks WHERE idempotency_key = ANY(:keys)")
                    .param("keys", keys.toArray(String[]::new))
                    .query(rs -> {
                        found.put(rs.getString(1), rs.getObject(2, UUID.class));
                    });
        }
        return accepted.stream()
                .map(task -> task.id() == null && found.containsKey(task.idempotencyKey())
                        ? task.withId(found.get(task.idempotencyKey())) : task)
                .toList();
    }

    public Map<UUID, TaskRow> tasks(Collection<UUID> ids) {
        Map<UUID, TaskRow> rows = new HashMap<>();
        db.sql("SELECT id, status, retry_count, worker_id FROM tasks WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query(rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    rows.put(id, new TaskRow(id, rs.getString(2), rs.getInt(3), rs.getString(4)));
                });
        return rows;
    }

    public List<AttemptRow> attempts(Collection<UUID> ids) {
        return db.sql("""
                        SELECT task_id, attempt, worker_id, started_at, finished_at, due_at, outcome
                          FROM all_task_attempts WHERE task_id = ANY(:ids)""")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> new AttemptRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                        rs.getString(7)))
                .list();
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Every execution of the tasks {@code ids}, from every worker process's file. */
    public List<Execution> executions(Set<UUID> ids) {
        if (!Files.isDirectory(ledgerDir)) {
            return List.of();
        }
        List<Execution> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(ledgerDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("executions-")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && line.endsWith("ed")) { // a line cut by a crash lacks its outcome
                        Execution execution = Execution.parse(line);
                        if (ids.contains(execution.taskId())) {
                            all.add(execution);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the ledger in " + ledgerDir, e);
        }
        return all;
    }

    /** How many of {@code ids} are not yet in a final status (missing rows count too). */
    public int unfinished(List<Accepted> accepted) {
        List<Accepted> resolved = resolve(accepted);
        Set<UUID> ids = resolved.stream().map(Accepted::id).filter(id -> id != null).collect(Collectors.toSet());
        long unresolved = resolved.stream().filter(task -> task.id() == null).count();
        if (ids.isEmpty()) {
            return (int) unresolved;
        }
        Integer ended = db.sql("""
                        SELECT count(*) FROM tasks
                         WHERE id = ANY(:ids) AND status IN ('succeeded', 'dead_letter', 'cancelled')""")
                .param("ids", ids.toArray(UUID[]::new)).query(Integer.class).single();
        return (int) (ids.size() - ended + unresolved);
    }

    /** The status of one task, or null. */
    public String status(UUID id) {
        return db.sql("SELECT status FROM tasks WHERE id = :id").param("id", id).query(String.class).optional()
                .orElse(null);
    }
}
