package dev.taskscheduler.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The WHERE clause of a listing, built from the criteria a caller gave: each criterion adds a
 * condition and its named parameters. Values are always bound, never written into the SQL.
 */
final class SqlWhere {

    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    SqlWhere(String firstCondition) {
        conditions.add(firstCondition);
    }

    /** Adds {@code condition} with its parameter, unless {@code value} is null. */
    SqlWhere and(String condition, String param, Object value) {
        if (value != null) {
            conditions.add(condition);
            params.put(param, value);
        }
        return this;
    }

    /** Adds a condition with its parameters (their values given in pairs: name, value, …). */
    SqlWhere andAll(String condition, Object... namesAndValues) {
        conditions.add(condition);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    /**
     * The task-type criteria every listing shares: one type, a pool's types (its routed types, or for
     * the default pool every type not routed elsewhere) and the caller's reach.
     */
    SqlWhere types(String type, Collection<String> typesIn, Collection<String> typesNotIn,
            Collection<String> reachableTypes) {
        and("type = :type", "type", type);
        and("type = ANY(:typesIn)", "typesIn", array(typesIn));
        if (typesNotIn != null && !typesNotIn.isEmpty()) {
            and("type <> ALL(:typesNotIn)", "typesNotIn", array(typesNotIn));
        }
        return and("type = ANY(:reachableTypes)", "reachableTypes", array(reachableTypes));
    }

    String sql() {
        return String.join(" AND ", conditions);
    }

    JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        JdbcClient.StatementSpec bound = statement;
        for (Map.Entry<String, Object> param : params.entrySet()) {
            bound = bound.param(param.getKey(), param.getValue());
        }
        return bound;
    }

    private static String[] array(Collection<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }
}
