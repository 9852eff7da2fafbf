package dev.taskscheduler.launcher.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Task rows written as the services write them: inserted pending, then moved by legal transitions only. */
final class TaskRows {

    private TaskRows() {
    }

    static UUID pending(JdbcClient db, String type) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        INSERT INTO tasks (id, type, payload, status, run_at, idempotency_key)
                        VALUES (?, ?, '{"note":"quotes '' and \\\\ and ü\\nnew line"}'::jsonb, 'pending', now(), ?)""")
                .params(id, type, "key-" + id).update();
        return id;
    }

    /** A running task whose worker last touched it {@code ago}. */
    static UUID running(JdbcClient db, String type, Duration ago) {
        UUID id = pending(db, type);
        db.sql("UPDATE tasks SET status = 'running', worker_id = 'worker-gone', started_at = now() WHERE id = ?")
                .param(id).update();
        db.sql("UPDATE tasks SET updated_at = now() - make_interval(secs => ?) WHERE id = ?")
                .params(ago.toSeconds(), id).update();
        return id;
    }

    static UUID deadLetter(JdbcClient db, String type) {
        UUID id = running(db, type, Duration.ZERO);
        db.sql("""
                        UPDATE tasks SET status = 'dead_letter', retry_count = 2, last_error = 'handler failed',
                                         finished_at = now(), updated_at = now() WHERE id = ?""")
                .param(id).update();
        return id;
    }

    /** One task in each status, with the attempt history the triggers keep. */
    static Map<String, UUID> oneInEveryStatus(JdbcClient db) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        ids.put("pending", pending(db, "noop"));
        ids.put("running", running(db, "noop", Duration.ofMinutes(5)));
        UUID succeeded = running(db, "noop", Duration.ZERO);
        db.sql("""
                        UPDATE tasks SET status = 'succeeded', result = '{"sent":true}'::jsonb, finished_at = now()
                         WHERE id = ?""").param(succeeded).update();
        ids.put("succeeded", succeeded);
        ids.put("dead_letter", deadLetter(db, "mail"));
        UUID cancelled = pending(db, "noop");
        db.sql("UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE id = ?").param(cancelled).update();
        ids.put("cancelled", cancelled);
        return ids;
    }

    static void scheduleAndReplayAudit(JdbcClient db) {
        db.sql("""
                        INSERT INTO schedules (id, name, cron, time_zone, task_type, task_payload, misfire_policy)
                        VALUES (?, 'nightly-report', '0 2 * * *', 'Europe/Paris', 'noop', '{"report":1}', 'run_once')""")
                .param(UUID.randomUUID()).update();
        db.sql("""
                        INSERT INTO dlq_replays (requested_by, filter, dry_run, matched, replayed)
                        VALUES ('alice', '{"type":"mail"}', false, 3, 3)""").update();
    }
}
