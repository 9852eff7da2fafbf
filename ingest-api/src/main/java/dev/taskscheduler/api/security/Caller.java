package dev.taskscheduler.api.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling and what they may reach: the authenticated principal of a request.
 *
 * @param name      recorded in audit rows: {@code key:<key name>} for an API key, the token's
 *                  subject for an OAuth2 token
 * @param scopes    effective scopes ({@code admin} expanded to all)
 * @param taskTypes the task types the caller reaches; {@code null} reaches every type
 */
public record Caller(String name, Set<Scope> scopes, Set<String> taskTypes) {

    /** The caller of a server that runs without authentication (an explicit opt-out). */
    public static final Caller UNAUTHENTICATED = new Caller("unauthenticated", EnumSet.allOf(Scope.class), null);

    public Caller {
        scopes = Scope.effective(scopes);
        taskTypes = taskTypes == null || scopes.contains(Scope.ADMIN) ? null : Set.copyOf(taskTypes);
    }

    /** Whether tasks (and schedules, dead letters) of this type are within reach. */
    public boolean reaches(String taskType) {
        return taskTypes == null || taskTypes.contains(taskType);
    }

    /** Whether the caller reaches every task type (listings then need no type filter). */
    public boolean reachesAllTypes() {
        return taskTypes == null;
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
