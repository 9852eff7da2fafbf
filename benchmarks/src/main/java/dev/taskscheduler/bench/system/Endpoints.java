package dev.taskscheduler.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where the system under test listens, as the dev launcher publishes it in {@code endpoints.env}.
 *
 * @param apiKey           the launcher's admin API key, sent with every request
 * @param schedulerMetrics the scheduler's Prometheus endpoint (in the dev launcher, the whole JVM's)
 * @param servicePorts     HTTP ports of each service (api-server, outbox-relay, scheduler, worker): the port
 *                         of its metrics endpoint (its management port), and the API's for the api-server
 */
public record Endpoints(String apiUrl, String apiKey, String kafkaBootstrap, String jdbcUrl, String dbUser, String dbPassword,
        String redisUrl, String schedulerMetrics, Map<String, Set<Integer>> servicePorts) {

    /** The services as the dev launcher names them, with their metrics keys in endpoints.env. */
    private static final Map<String, String> SERVICE_METRICS = Map.of("api-server", "API_SERVER_METRICS",
            "outbox-relay", "OUTBOX_RELAY_METRICS", "scheduler", "SCHEDULER_METRICS", "worker", "WORKER_METRICS");

    public static Endpoints read(Path envFile) {
        try {
            Map<String, String> values = Files.readAllLines(envFile).stream()
                    .filter(line -> line.contains("="))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                            line -> line.substring(line.indexOf('=') + 1)));
            Map<String, Set<Integer>> ports = new TreeMap<>();
            SERVICE_METRICS.forEach((service, key) -> {
                if (values.get(key) != null) {
                    ports.computeIfAbsent(service, s -> new TreeSet<>()).add(URI.create(values.get(key)).getPort());
                }
            });
            if (values.get("API_URL") != null) {
                ports.computeIfAbsent("api-server", s -> new TreeSet<>()).add(URI.create(values.get("API_URL")).getPort());
            }
            return new Endpoints(values.get("API_URL"), values.get("API_KEY"), values.get("KAFKA_BOOTSTRAP"),
                    values.get("JDBC_URL"), values.get("DB_USER"), values.get("DB_PASSWORD"), values.get("REDIS_URL"),
                    values.get("SCHEDULER_METRICS"), ports);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + envFile, e);
        }
    }

    /** The port Redis listens on, or -1 when unknown. */
    public int redisPort() {
        return redisUrl == null ? -1 : URI.create(redisUrl).getPort();
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
