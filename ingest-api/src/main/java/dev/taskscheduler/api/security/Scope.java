package dev.taskscheduler.api.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a caller may do. Every endpoint of the API requires exactly one scope (see
 * {@link ApiAccessRules}); {@code admin} holds every other scope as well.
 */
public enum Scope {
    /** Submit tasks, one or in batches. */
    TASKS_SUBMIT("tasks:submit"),
    /** Read tasks, their attempts and results; list tasks. */
    TASKS_READ("tasks:read"),
    /** Cancel and reschedule tasks. */
    TASKS_MANAGE("tasks:manage"),
    /** Read recurring schedules. */
    SCHEDULES_READ("schedules:read"),
    /** Create, change, pause, resume and delete recurring schedules. */
    SCHEDULES_WRITE("schedules:write"),
    /** List and replay dead-lettered tasks. */
    DLQ_MANAGE("dlq:manage"),
    /** API keys, stuck-task reset, consumer lag; implies every other scope and every task type. */
    ADMIN("admin");

    private static final Map<String, Scope> BY_VALUE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Scope::value, Function.identity()));

    private final String value;
    private final String authority;

    Scope(String value) {
        this.value = value;
        this.authority = "SCOPE_" + value;
    }

    /** The scope as clients write it, e.g. {@code tasks:submit}. */
    public String value() {
        return value;
    }

    /** The Spring Security authority that stands for it. */
    public String authority() {
        return authority;
    }

    public static Optional<Scope> fromValue(String value) {
        return Optional.ofNullable(BY_VALUE.get(value));
    }

    /** The scopes a holder of {@code granted} has: {@code admin} brings all of them. */
    public static Set<Scope> effective(Set<Scope> granted) {
        return granted.contains(ADMIN) ? EnumSet.allOf(Scope.class) : Set.copyOf(granted);
    }
}
