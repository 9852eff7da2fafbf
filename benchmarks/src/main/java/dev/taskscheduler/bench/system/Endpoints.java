package dev.taskscheduler.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the system under test listens, as the dev launcher publishes it in {@code endpoints.env}.
 *
 * @param apiKey           the launcher's admin API key, sent with every request
 * @param schedulerMetrics the scheduler's Prometheus endpoint (in the dev launcher, the whole JVM's)
 */
public record Endpoints(String apiUrl, String apiKey, String kafkaBootstrap, String jdbcUrl, String dbUser,
        String dbPassword, String schedulerMetrics) {

    public static Endpoints read(Path envFile) {
        try {
            Map<String, String> values = Files.readAllLines(envFile).stream()
                    .filter(line -> line.contains("="))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                            line -> line.substring(line.indexOf('=') + 1)));
            return new Endpoints(values.get("API_URL"), values.get("API_KEY"), values.get("KAFKA_BOOTSTRAP"), values.get("JDBC_URL"),
                    values.get("DB_USER"), values.get("DB_PASSWORD"), values.get("SCHEDULER_METRICS"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + envFile, e);
        }
    }

    public String dbHost() {
        return jdbcUrl.replaceFirst("jdbc:postgresql://([^:/]+).*", "$1");
    }

    public int dbPort() {
        return Integer.parseInt(jdbcUrl.replaceFirst("jdbc:postgresql://[^:/]+:(\\d+)/.*", "$1"));
    }

    public String database() {
        return jdbcUrl.replaceFirst("jdbc:postgresql://[^/]+/([^?]+).*", "$1");
    }

    /** The same server, another database. */
    public String jdbcUrlOf(String otherDatabase) {
        return "jdbc:postgresql://" + dbHost() + ":" + dbPort() + "/" + otherDatabase;
    }
}
