package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.security.Scope.ADMIN;
import static dev.taskscheduler.api.security.Scope.DLQ_MANAGE;
import static dev.taskscheduler.api.security.Scope.SCHEDULES_READ;
import static dev.taskscheduler.api.security.Scope.SCHEDULES_WRITE;
import static dev.taskscheduler.api.security.Scope.TASKS_MANAGE;
import static dev.taskscheduler.api.security.Scope.TASKS_READ;
import static dev.taskscheduler.api.security.Scope.TASKS_SUBMIT;

import java.util.List;
import org.springframework.http.HttpMethod;

/**
 * Who may call what: one rule per endpoint of the API, the required scope or "public". The
 * security filter chain is built from this list and refuses everything it does not name; a test
 * checks every request mapping of the application against it, so a new endpoint without a rule
 * fails the build rather than being open or closed by accident.
 */
public final class ApiAccessRules {

    /**
     * @param method  HTTP method, or {@code null} for any
     * @param pattern Spring path pattern, written exactly as in the controller's mapping
     * @param scope   the scope required; {@code null} for a public path
     */
    public record Rule(HttpMethod method, String pattern, Scope scope) {

        public boolean isPublic() {
            return scope == null;
        }
    }

    public static final List<Rule> RULES = List.of(
            rule(HttpMethod.POST, "/api/v1/tasks", TASKS_SUBMIT),
            rule(HttpMethod.POST, "/api/v1/tasks/batch", TASKS_SUBMIT),
            rule(HttpMethod.GET, "/api/v1/tasks", TASKS_READ),
            rule(HttpMethod.GET, "/api/v1/tasks/{id}", TASKS_READ),
            rule(HttpMethod.POST, "/api/v1/tasks/{id}/cancel", TASKS_MANAGE),
            rule(HttpMethod.POST, "/api/v1/tasks/{id}/reschedule", TASKS_MANAGE),
            rule(HttpMethod.GET, "/api/v1/schedules", SCHEDULES_READ),
            rule(HttpMethod.GET, "/api/v1/schedules/{id}", SCHEDULES_READ),
            rule(HttpMethod.POST, "/api/v1/schedules", SCHEDULES_WRITE),
            rule(HttpMethod.PUT, "/api/v1/schedules/{id}", SCHEDULES_WRITE),
            rule(HttpMethod.DELETE, "/api/v1/schedules/{id}", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/api/v1/schedules/{id}/pause", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/api/v1/schedules/{id}/resume", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/api/v1/schedules/{id}/trigger", SCHEDULES_WRITE),
            rule(HttpMethod.GET, "/api/v1/admin/dlq", DLQ_MANAGE),
            rule(HttpMethod.POST, "/api/v1/admin/dlq/replay", DLQ_MANAGE),
            rule(HttpMethod.POST, "/api/v1/admin/dlq/replay-from-topic", DLQ_MANAGE),
            rule(HttpMethod.POST, "/api/v1/admin/stuck/reset", ADMIN),
            rule(HttpMethod.GET, "/api/v1/admin/lag", ADMIN),
            rule(HttpMethod.GET, "/api/v1/admin/keys", ADMIN),
            rule(HttpMethod.POST, "/api/v1/admin/keys", ADMIN),
            rule(HttpMethod.DELETE, "/api/v1/admin/keys/{id}", ADMIN),
            // The API's description, Spring's error page, and the probes on the API port (the
            // actuator itself, metrics included, is on the management port).
            publicPath(HttpMethod.GET, "/api/v1/openapi"),
            publicPath(HttpMethod.GET, "/api/v1/openapi.yaml"),
            publicPath(null, "/error"),
            publicPath(HttpMethod.GET, "/livez"),
            publicPath(HttpMethod.GET, "/readyz"),
            publicPath(HttpMethod.GET, "/actuator/health"),
            publicPath(HttpMethod.GET, "/actuator/health/**"),
            publicPath(HttpMethod.GET, "/actuator/info"),
            publicPath(HttpMethod.GET, "/actuator/prometheus"));

    private ApiAccessRules() {
    }

    private static Rule rule(HttpMethod method, String pattern, Scope scope) {
        return new Rule(method, pattern, scope);
    }

    private static Rule publicPath(HttpMethod method, String pattern) {
        return new Rule(method, pattern, null);
    }
}
