package dev.taskscheduler.api.audit;

import dev.taskscheduler.model.Json;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code audit_events}: who did which operator action. Written in the transaction of the action
 * where there is one, so an action and its audit row commit together.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param principal the authenticated caller
     * @param action    e.g. {@code api-key.created}, {@code stuck-tasks.reset}
     * @param subject   what the action was about (an id), or null
     * @param detail    anything else worth keeping, as JSON
     */
    public void record(String principal, String action, String subject, Map<String, ?> detail) {
        jdbc.sql("INSERT INTO audit_events (principal, action, subject, detail) VALUES (?, ?, ?, ?::jsonb)")
                .params(principal, action, subject, Json.write(detail))
                .update();
    }
}
