package dev.taskscheduler.api.console;

import dev.taskscheduler.api.rest.InstantParameters;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.DeadLetterFilter;
import dev.taskscheduler.store.PageCursor;
import dev.taskscheduler.store.TaskListFilter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The filters of the task and dead-letter lists, as the browser sends them (query parameters or
 * hidden fields): every field text, checked here so that each mistake is named.
 *
 * @param from  created (dead letters: dead-lettered) at or after, {@code 2026-01-01T10:00} in {@code zone}
 * @param to    before, likewise
 * @param zone  the browser's time zone (set by the page's script; UTC without it)
 * @param id    one task id
 * @param key   an idempotency key
 * @param error text the last error contains (dead letters)
 * @param after where the page starts ({@link PageCursor#token()})
 */
public record ListFilterForm(String status, String type, String pool, String priority, String from, String to,
        String zone, String id, String key, String error, String after) {

    private static final int MAX_TEXT = 500;

    public ListFilterForm {
        status = blankToNull(status);
        type = blankToNull(type);
        pool = blankToNull(pool);
        priority = blankToNull(priority);
        from = blankToNull(from);
        to = blankToNull(to);
        zone = blankToNull(zone);
        id = blankToNull(id);
        key = blankToNull(key);
        error = blankToNull(error);
        after = blankToNull(after);
    }

    /** The filter of the task list, within the caller's reach. */
    public TaskListFilter tasks(PoolRouting routing, Caller caller) {
        Checked checked = check();
        TaskStatus wanted = null;
        if (status != null) {
            try {
                wanted = TaskStatus.fromDbValue(status);
            } catch (IllegalArgumentException e) {
                checked.violations.add(new FieldViolation("status", "is not a task status"));
            }
        }
        checked.throwIfInvalid();
        Pool selected = pool(routing);
        return new TaskListFilter(wanted, type, selected.typesIn, selected.typesNotIn, checked.priority,
                checked.from, checked.to, checked.id, key, caller.taskTypes());
    }

    /** The filter of the dead-letter list and of a replay, within the caller's reach. */
    public DeadLetterFilter deadLetters(PoolRouting routing, Caller caller, int limit) {
        Checked checked = check();
        checked.throwIfInvalid();
        Pool selected = pool(routing);
        return new DeadLetterFilter(checked.id == null ? List.of() : List.of(checked.id), type, error, checked.from,
                checked.to, limit, caller.taskTypes(), checked.priority, key, selected.typesIn, selected.typesNotIn);
    }

    /** Where the page starts; null for the first page. */
    public PageCursor cursor() {
        if (after == null) {
            return null;
        }
        return PageCursor.parse(after).orElseThrow(() -> new InvalidSubmissionException("after",
                "is not a position in this list; start again from the first page"));
    }

    /** This filter's query string with the page starting at {@code next} (null: the first page). */
    public String query(PageCursor next) {
        UriComponentsBuilder query = UriComponentsBuilder.newInstance();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("status", status);
        values.put("type", type);
        values.put("pool", pool);
        values.put("priority", priority);
        values.put("from", from);
        values.put("to", to);
        values.put("zone", zone);
        values.put("id", id);
        values.put("key", key);
        values.put("error", error);
        values.put("after", next == null ? null : next.token());
        values.forEach((name, value) -> {
            if (value != null) {
                query.queryParam(name, value);
            }
        });
        return query.encode().build().toUriString();
    }

    /** Whether any criterion narrows the list. */
    public boolean isNarrowed() {
        return status != null || type != null || pool != null || priority != null || from != null || to != null
                || id != null || key != null || error != null;
    }

    private Checked check() {
        Checked checked = new Checked();
        for (Map.Entry<String, String> text : Map.of("type", nullToEmpty(type), "pool", nullToEmpty(pool),
                "key", nullToEmpty(key), "error", nullToEmpty(error)).entrySet()) {
            if (text.getValue().length() > MAX_TEXT) {
                checked.violations.add(new FieldViolation(text.getKey(), "must be at most " + MAX_TEXT + " characters"));
            }
        }
        if (priority != null) {
            try {
                checked.priority = TaskPriority.fromValue(priority);
            } catch (IllegalArgumentException e) {
                checked.violations.add(new FieldViolation("priority", "must be high, normal or low"));
            }
        }
        if (id != null) {
            try {
                checked.id = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                checked.violations.add(new FieldViolation("id", "is not a task id"));
            }
        }
        ZoneId readIn = ZoneOffset.UTC;
        if (zone != null) {
            try {
                readIn = ZoneId.of(zone);
            } catch (DateTimeException e) {
                checked.violations.add(new FieldViolation("zone", "is not a time zone"));
            }
        }
        checked.from = instant("from", from, readIn, checked.violations);
        checked.to = instant("to", to, readIn, checked.violations);
        return checked;
    }

    private static Instant instant(String field, String text, ZoneId zone, List<FieldViolation> violations) {
        if (text == null) {
            return null;
        }
        try {
            return InstantParameters.checked(field, LocalDateTime.parse(text).atZone(zone).toInstant());
        } catch (DateTimeException e) {
            violations.add(new FieldViolation(field, "must be a date and time, e.g. 2026-01-01T10:00"));
        } catch (InvalidSubmissionException e) {
            violations.addAll(e.violations());
        }
        return null;
    }

    private Pool pool(PoolRouting routing) {
        if (pool == null) {
            return new Pool(null, null);
        }
        Map<String, String> routed = routing.routedTypes();
        Set<String> typesOfPool = routed.entrySet().stream().filter(entry -> entry.getValue().equals(pool))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        if (pool.equals(routing.defaultPool())) {
            Set<String> elsewhere = routed.entrySet().stream().filter(entry -> !entry.getValue().equals(pool))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            return new Pool(null, elsewhere);
        }
        return new Pool(typesOfPool, null);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** A pool as type criteria: its routed types, or for the default pool every type not routed elsewhere. */
    private record Pool(Set<String> typesIn, Set<String> typesNotIn) {
    }

    private static final class Checked {
        final List<FieldViolation> violations = new ArrayList<>();
        TaskPriority priority;
        UUID id;
        Instant from;
        Instant to;

        void throwIfInvalid() {
            if (!violations.isEmpty()) {
                throw new InvalidSubmissionException(violations);
            }
        }
    }
}
