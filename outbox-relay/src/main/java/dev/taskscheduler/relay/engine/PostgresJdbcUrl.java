package dev.taskscheduler.relay.engine;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a PostgreSQL JDBC URL that Debezium takes as separate settings: it connects with host, port and
 * database name, not with the URL that the rest of the service uses.
 *
 * @param host       host name or IP address (IPv6 without brackets)
 * @param port       port, 5432 when the URL has none
 * @param database   database name
 * @param parameters URL query parameters, e.g. {@code sslmode}
 */
record PostgresJdbcUrl(String host, int port, String database, Map<String, String> parameters) {

    private static final String PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;

    PostgresJdbcUrl {
        parameters = Map.copyOf(parameters);
    }

    static PostgresJdbcUrl parse(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + url);
        }
        String rest = url.substring(PREFIX.length());
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("//")) {
            // jdbc:postgresql:database means localhost:5432
            return new PostgresJdbcUrl("localhost", DEFAULT_PORT, requireDatabase(decode(rest), url), parameters);
        }
        rest = rest.substring(2);
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        if (hostPort.contains(",")) {
            // Logical replication needs the primary; a multi-host URL cannot say which one that is.
            throw new IllegalArgumentException("Multi-host JDBC URLs are not supported by the outbox relay: " + url);
        }
        String host = hostPort;
        int port = DEFAULT_PORT;
        int portSeparator = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.lastIndexOf(':');
        if (portSeparator >= 0) {
            host = hostPort.substring(0, portSeparator);
            port = Integer.parseInt(hostPort.substring(portSeparator + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new PostgresJdbcUrl(host.isEmpty() ? "localhost" : host, port, requireDatabase(database, url), parameters);
    }

    private static String requireDatabase(String database, String url) {
        if (database.isEmpty()) {
            throw new IllegalArgumentException("JDBC URL names no database: " + url);
        }
        return database;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
