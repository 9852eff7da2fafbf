package dev.taskscheduler.api.console;

import static dev.taskscheduler.api.security.Scope.DLQ_MANAGE;
import static dev.taskscheduler.api.security.Scope.SCHEDULES_READ;
import static dev.taskscheduler.api.security.Scope.SCHEDULES_WRITE;
import static dev.taskscheduler.api.security.Scope.TASKS_MANAGE;
import static dev.taskscheduler.api.security.Scope.TASKS_READ;

import dev.taskscheduler.api.security.Scope;
import java.util.List;
import org.springframework.http.HttpMethod;

/**
 * Who may open which page of the console and take which action: the same scopes as the REST API.
 * The console's filter chain is built from this list and refuses every path it does not name; a
 * test checks every console mapping against it. Pages show only the actions the session's scopes
 * allow, and the rules refuse a forged request for any other.
 */
public final class ConsoleAccessRules {

    /** Where the console lives; its session cookie is sent to this path only. */
    public static final String ROOT = "/console";

    /**
     * @param scope the scope required; {@code null} for any signed-in session
     * @param open  reachable without signing in (the login page, the styles and scripts)
     */
    public record Rule(HttpMethod method, String pattern, Scope scope, boolean open) {
    }

    public static final List<Rule> RULES = List.of(
            open(HttpMethod.GET, "/console/login"),
            open(HttpMethod.POST, "/console/login"),
            open(HttpMethod.GET, "/console/assets/**"),
            open(HttpMethod.GET, "/webjars/**"),
            signedIn(HttpMethod.POST, "/console/logout"),
            signedIn(HttpMethod.GET, "/console"),
            rule(HttpMethod.GET, "/console/overview", TASKS_READ),
            rule(HttpMethod.GET, "/console/tasks", TASKS_READ),
            rule(HttpMethod.GET, "/console/tasks/{id}", TASKS_READ),
            rule(HttpMethod.POST, "/console/tasks/{id}/cancel", TASKS_MANAGE),
            rule(HttpMethod.POST, "/console/tasks/{id}/reschedule", TASKS_MANAGE),
            rule(HttpMethod.POST, "/console/tasks/{id}/retry", DLQ_MANAGE),
            rule(HttpMethod.GET, "/console/dead-letters", DLQ_MANAGE),
            rule(HttpMethod.POST, "/console/dead-letters/preview", DLQ_MANAGE),
            rule(HttpMethod.POST, "/console/dead-letters/replay", DLQ_MANAGE),
            rule(HttpMethod.GET, "/console/schedules", SCHEDULES_READ),
            rule(HttpMethod.GET, "/console/schedules/preview", SCHEDULES_READ),
            rule(HttpMethod.GET, "/console/schedules/new", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules", SCHEDULES_WRITE),
            rule(HttpMethod.GET, "/console/schedules/{id}/edit", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules/{id}", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules/{id}/pause", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules/{id}/resume", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules/{id}/trigger", SCHEDULES_WRITE),
            rule(HttpMethod.POST, "/console/schedules/{id}/delete", SCHEDULES_WRITE),
            rule(HttpMethod.GET, "/console/workers", TASKS_READ));

    private ConsoleAccessRules() {
    }

    private static Rule rule(HttpMethod method, String pattern, Scope scope) {
        return new Rule(method, pattern, scope, false);
    }

    private static Rule signedIn(HttpMethod method, String pattern) {
        return new Rule(method, pattern, null, false);
    }

    private static Rule open(HttpMethod method, String pattern) {
        return new Rule(method, pattern, null, true);
    }
}
