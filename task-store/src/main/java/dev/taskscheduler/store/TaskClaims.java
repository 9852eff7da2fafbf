package dev.taskscheduler.store;

import dev.taskscheduler.model.TaskStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The worker's writes, each one statement for a whole batch of tasks: claims, deferrals, outcomes
 * and lease refreshes. Every statement is fenced, row by row, on what the worker knows of each
 * task, so a batch can hold duplicates, stale releases and tasks taken by others: those rows
 * simply do not change, and the statement reports which did.
 */
public class TaskClaims {

    private final JdbcClient jdbc;
    private final TaskChanges changes;

    /*
     * The statements below take a list of tasks and find each by its id. Their status tests are
     * written as CASE expressions, which the planner cannot match to an index: written plainly
     * (t.status = 'pending'), they let it read the partial indexes on status instead and join them
     * with the list, and it did. A claim of 60 tasks then read every pending row of a backlog of
     * thousands (30 ms a claim at 2,000 tasks/s), its cost rising with the very backlog it had to
     * clear. Looked up by id, a statement costs the same however many tasks wait.
     */
    /** Pending, or running already for this worker (a claim whose commit answer was lost). */
    private static final String CLAIMABLE =
            "CASE t.status WHEN 'pending' THEN true WHEN 'running' THEN t.worker_id = :workerId ELSE false END";
    private static final String PENDING = "CASE t.status WHEN 'pending' THEN true ELSE false END";
    /** Running for this worker: it holds the claim. */
    private static final String HELD = "CASE t.status WHEN 'running' THEN t.worker_id = :workerId ELSE false END";

    /** @param changes told about every task these statements change (the status cache) */
    public TaskClaims(JdbcClient jdbc, TaskChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /**
     * A release of a task the worker wants to run.
     *
     * @param attempt   the attempt released ({@code retry_count} when the event was emitted)
     * @param dueMillis the due time the release was made for (epoch ms, as in the event)
     */
    public record Release(UUID taskId, int attempt, long dueMillis) {
    }

    /**
     * pending → running for every release that still holds: the task is pending at that attempt and
     * due at that time. A task rescheduled or deferred after its release is due at another time:
     * its stale release claims nothing, so it never runs before its new due time; the new release
     * will claim it. A task this worker already holds at that attempt (a claim whose commit answer
     * was lost) is claimed again. Returns the claimed tasks.
     */
    public List<StoredTask> claim(String workerId, Collection<Release> releases) {
        if (releases.isEmpty()) {
            return List.of();
        }
        Arrays arrays = new Arrays(releases);
        List<StoredTask> claimed = jdbc.sql("""
                        UPDATE tasks t
                           SET status = 'running', worker_id = :workerId, started_at = now(), finished_at = NULL,
                               updated_at = now(), deferrals = 0
                          FROM unnest(:ids::uuid[], :attempts::int[], :dues::bigint[])
                               AS r(release_id, release_attempt, release_due)
                         WHERE t.id = r.release_id AND t.retry_count = r.release_attempt
                           AND task_due_millis(t.run_at) = r.release_due
                           AND %s
                        RETURNING %s""".formatted(CLAIMABLE, TaskRepository.COLUMNS))
                .param("workerId", workerId)
                .param("ids", arrays.ids).param("attempts", arrays.attempts).param("dues", arrays.dues)
                .query(TaskRepository.ROW_MAPPER)
                .list();
        changes.changed(claimed);
        return claimed;
    }

    /**
     * Puts off released tasks whose type's limit is full: each is due again after a wait that
     * doubles with every deferral in a row (from {@code base}, at most {@code max}, ±25 % jitter),
     * so a task that cannot start does not go round the pipeline every half second. The trigger
     * publishes the new due time. Returns how many were deferred.
     */
    public int defer(Collection<Release> releases, java.time.Duration base, java.time.Duration max) {
        if (releases.isEmpty()) {
            return 0;
        }
        Arrays arrays = new Arrays(releases);
        return jdbc.sql("""
                        UPDATE tasks t
                           SET run_at = now() + least(make_interval(secs => :maxSeconds),
                                                      make_interval(secs => :baseSeconds) * power(2, t.deferrals))
                                              * (0.75 + random() * 0.5),
                               deferrals = t.deferrals + 1, updated_at = now()
                          FROM unnest(:ids::uuid[], :attempts::int[], :dues::bigint[]) AS r(id, attempt, due)
                         WHERE t.id = r.id AND %s AND t.retry_count = r.attempt
                           AND task_due_millis(t.run_at) = r.due""".formatted(PENDING))
                .param("baseSeconds", base.toMillis() / 1000.0).param("maxSeconds", max.toMillis() / 1000.0)
                .param("ids", arrays.ids).param("attempts", arrays.attempts).param("dues", arrays.dues)
                .update();
    }

    /** When a written outcome took effect, and the due time it set (the database's clock: the cache orders by it). */
    private record Recorded(Instant updatedAt, Instant finishedAt, Instant runAt) {
    }

    /** The outcome of an attempt, with the task as the worker claimed it. */
    public record Finished(StoredTask claimed, AttemptOutcome outcome) {
    }

    /**
     * Writes the outcomes of finished attempts, one statement per kind, for the worker that holds
     * the claims. An outcome whose claim is gone (rescued, reset) changes nothing. Call within a
     * transaction, so the batch commits once. Returns the tasks whose outcome was written.
     */
    public Set<UUID> record(String workerId, Collection<Finished> finished) {
        Map<UUID, Recorded> recorded = new HashMap<>();
        List<AttemptOutcome> outcomes = finished.stream().map(Finished::outcome).toList();
        List<AttemptOutcome.Succeeded> succeeded = new ArrayList<>();
        List<AttemptOutcome.Retry> retries = new ArrayList<>();
        List<AttemptOutcome.DeadLetter> deadLetters = new ArrayList<>();
        List<AttemptOutcome.GiveBack> givenBack = new ArrayList<>();
        for (AttemptOutcome outcome : outcomes) {
            if (outcome instanceof AttemptOutcome.Succeeded s) {
                succeeded.add(s);
            } else if (outcome instanceof AttemptOutcome.Retry r) {
                retries.add(r);
            } else if (outcome instanceof AttemptOutcome.DeadLetter d) {
                deadLetters.add(d);
            } else if (outcome instanceof AttemptOutcome.GiveBack g) {
                givenBack.add(g);
            }
        }
        if (!succeeded.isEmpty()) {
            write(recorded, workerId, succeeded, """
                    SET status = 'succeeded', result = r.result::jsonb, last_error = r.note, finished_at = now(),
                        updated_at = now()
                      FROM unnest(:ids::uuid[], :attempts::int[], :results::text[], :notes::text[])
                           AS r(id, attempt, result, note)""", spec -> spec
                    .param("results", succeeded.stream().map(AttemptOutcome.Succeeded::resultJson)
                            .toArray(String[]::new))
                    .param("notes", succeeded.stream().map(AttemptOutcome.Succeeded::note).toArray(String[]::new)));
        }
        if (!retries.isEmpty()) {
            write(recorded, workerId, retries, """
                    SET status = 'pending', retry_count = t.retry_count + 1,
                        run_at = now() + r.backoff_us * interval '1 microsecond',
                        last_error = r.error, worker_id = NULL, finished_at = now(), updated_at = now()
                      FROM unnest(:ids::uuid[], :attempts::int[], :errors::text[], :backoffs::bigint[])
                           AS r(id, attempt, error, backoff_us)""", spec -> spec
                    .param("errors", retries.stream().map(AttemptOutcome.Retry::error).toArray(String[]::new))
                    .param("backoffs", retries.stream().mapToLong(r -> r.backoff().toNanos() / 1_000).toArray()));
        }
        if (!deadLetters.isEmpty()) {
            write(recorded, workerId, deadLetters, """
                    SET status = 'dead_letter', last_error = r.error, finished_at = now(), updated_at = now()
                      FROM unnest(:ids::uuid[], :attempts::int[], :errors::text[]) AS r(id, attempt, error)""",
                    spec -> spec.param("errors", deadLetters.stream().map(AttemptOutcome.DeadLetter::error)
                            .toArray(String[]::new)));
        }
        if (!givenBack.isEmpty()) {
            write(recorded, workerId, givenBack, """
                    SET status = 'pending', run_at = now(), worker_id = NULL, last_error = r.reason,
                        updated_at = now()
                      FROM unnest(:ids::uuid[], :attempts::int[], :reasons::text[]) AS r(id, attempt, reason)""",
                    spec -> spec.param("reasons", givenBack.stream().map(AttemptOutcome.GiveBack::reason)
                            .toArray(String[]::new)));
        }
        List<StoredTask> changed = new ArrayList<>(recorded.size());
        for (Finished done : finished) {
            Recorded written = recorded.get(done.claimed().id());
            if (written != null) {
                changed.add(after(done.claimed(), done.outcome(), written));
            }
        }
        changes.changed(changed);
        return recorded.keySet();
    }

    private void write(Map<UUID, Recorded> recorded, String workerId, List<? extends AttemptOutcome> outcomes,
            String setAndFrom, java.util.function.UnaryOperator<JdbcClient.StatementSpec> values) {
        JdbcClient.StatementSpec statement = jdbc.sql("UPDATE tasks t " + setAndFrom + """

                 WHERE t.id = r.id AND %s AND t.retry_count = r.attempt
                RETURNING t.id, t.updated_at, t.finished_at, t.run_at""".formatted(HELD))
                .param("workerId", workerId)
                .param("ids", outcomes.stream().map(AttemptOutcome::taskId).toArray(UUID[]::new))
                .param("attempts", outcomes.stream().mapToInt(AttemptOutcome::attempt).toArray());
        values.apply(statement).query(rs -> {
            Timestamp finished = rs.getTimestamp("finished_at");
            recorded.put(rs.getObject("id", UUID.class), new Recorded(rs.getTimestamp("updated_at").toInstant(),
                    finished == null ? null : finished.toInstant(), rs.getTimestamp("run_at").toInstant()));
        });
    }

    /**
     * Keeps the lease of the tasks this worker runs right now fresh. Only those: a claim the worker
     * gave up on (its outcome could not be written) must age, so the lease rescue finds it.
     *
     * <p>A row another transaction holds is skipped, not waited for. Under load the outcome writer
     * updates some of the same rows at the same moment, in another order: waiting made the two
     * deadlock, and both stood still for PostgreSQL's deadlock timeout (a second) before one was
     * cancelled, holding up every outcome and so every claim. A row skipped is being written by its
     * outcome, or is refreshed at the next beat, long before its lease runs out.
     */
    public int touch(String workerId, Collection<UUID> running) {
        if (running.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                        UPDATE tasks leased SET updated_at = now()
                          FROM (SELECT t.id FROM tasks t
                                 WHERE t.id = ANY(:ids) AND %s
                                   FOR UPDATE SKIP LOCKED) AS free
                         WHERE leased.id = free.id""".formatted(HELD))
                .param("ids", running.toArray(UUID[]::new))
                .param("workerId", workerId)
                .update();
    }

    /** The task as it reads after its outcome was written, built from the claimed row. */
    private static StoredTask after(StoredTask claimed, AttemptOutcome outcome, Recorded recorded) {
        if (outcome instanceof AttemptOutcome.Succeeded s) {
            return with(claimed, TaskStatus.SUCCEEDED, claimed.retryCount(), claimed.runAt(), claimed.workerId(),
                    recorded, s.note(), s.resultJson());
        }
        if (outcome instanceof AttemptOutcome.Retry r) {
            return with(claimed, TaskStatus.PENDING, claimed.retryCount() + 1, recorded.runAt(), null, recorded,
                    r.error(), null);
        }
        if (outcome instanceof AttemptOutcome.DeadLetter d) {
            return with(claimed, TaskStatus.DEAD_LETTER, claimed.retryCount(), claimed.runAt(), claimed.workerId(),
                    recorded, d.error(), null);
        }
        AttemptOutcome.GiveBack g = (AttemptOutcome.GiveBack) outcome;
        return with(claimed, TaskStatus.PENDING, claimed.retryCount(), recorded.updatedAt(), null,
                new Recorded(recorded.updatedAt(), claimed.finishedAt(), recorded.runAt()), g.reason(), null);
    }

    private static StoredTask with(StoredTask t, TaskStatus status, int retryCount, Instant runAt, String workerId,
            Recorded recorded, String lastError, String resultJson) {
        return new StoredTask(t.id(), t.type(), t.payloadJson(), status, runAt, retryCount, t.maxRetries(), workerId,
                t.createdAt(), recorded.updatedAt(), t.startedAt(), recorded.finishedAt(), lastError, resultJson,
                t.idempotencyKey(), t.requestFingerprint(), t.timeout(), t.retry(), t.replayCount(), t.priority());
    }

    /** The releases as the three parallel arrays the statements unnest. */
    private static final class Arrays {
        final UUID[] ids;
        final int[] attempts;
        final long[] dues;

        Arrays(Collection<Release> releases) {
            ids = new UUID[releases.size()];
            attempts = new int[releases.size()];
            dues = new long[releases.size()];
            int i = 0;
            for (Release release : releases) {
                ids[i] = release.taskId();
                attempts[i] = release.attempt();
                dues[i] = release.dueMillis();
                i++;
            }
        }
    }
}
