package dev.taskscheduler.worker;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a worker process.
 *
 * @param id      identity recorded in {@code tasks.worker_id}; unique per process (defaults to
 *                host name, process id and a random suffix)
 * @param pools   pool name → settings; this worker consumes {@code tasks.ready.<pool>} for each
 * @param retry   backoff between attempts of a failed task
 * @param topicPartitions partitions of the ready topics when this service creates them
 * @param topicReplicas   replication factor of the ready topics when this service creates them
 */
@ConfigurationProperties("scheduler.worker")
public record WorkerProperties(
        String id,
        @DefaultValue Map<String, Pool> pools,
        @DefaultValue Retry retry,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas) {

    public WorkerProperties {
        if (pools.isEmpty()) {
            pools = Map.of("default", new Pool(2));
        }
        if (id == null || id.isBlank()) {
            id = defaultId();
        }
    }

    private static String defaultId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "worker");
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @param concurrency consumer threads of this pool in this process, each running one task at a time */
    public record Pool(@DefaultValue("2") int concurrency) {
    }

    /**
     * Exponential backoff with jitter: attempt n waits {@code initial * multiplier^n}, capped at
     * {@code max}, then spread by ±{@code jitter} so retries of many tasks do not arrive together.
     */
    public record Retry(
            @DefaultValue("1s") Duration initial,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("5m") Duration max,
            @DefaultValue("0.2") double jitter) {
    }
}
