package dev.taskscheduler.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.testing.SystemTestClient;
import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.PrometheusText;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.worker.WorkerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The monitoring of the whole real system: consumer lag as the api-server exports it while a
 * pool's workers are gone and after they are back, and the scheduler's timer gauge. Tasks of type
 * {@code noop} go to pool {@code lagpool}, which only the workers started here consume.
 */
@RealInfrastructure
class OperationsMetricsEndToEndTest {

    private static final String POOL = "lagpool";
    private static final String GROUP = "worker-" + POOL;
    private static final Map<String, String> LAG_POOL = Map.of("group", GROUP);
    private static final int PARTITIONS = 3;
    private static final String[] SYSTEM_ARGS = {
        "--spring.main.banner-mode=off",
        "--scheduler.timers.pools.noop=" + POOL,
        "--scheduler.lag.interval=500ms",
        "--scheduler.worker.shutdown-grace=2s",
    };

    @TempDir
    static Path stateDir;

    private static Infrastructure infrastructure;
    private static TaskSchedulerSystem system;
    private static SystemTestClient client;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSystem(Infrastructure shared) {
        infrastructure = shared;
        system = TestSystems.start(shared, stateDir, SYSTEM_ARGS);
        client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), JdbcClient.create(shared.dataSource()));
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldShowLagRisingWhileAPoolsWorkersAreStoppedAndZeroAfterTheyRestart() {
        ConfigurableApplicationContext worker = startPoolWorker();
        try {
            // Until a partition has a committed offset its lag is unknown (Kafka's tool shows "-"):
            // run tasks until the group has committed on every partition.
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                client.awaitStatus(client.submit("{\"type\":\"noop\"}"), "succeeded");
                return committedPartitions() == PARTITIONS;
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(scrapeApi().sum("kafka_consumer_group_lag", LAG_POOL)).isZero());
        } finally {
            worker.close();
        }

        List<UUID> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(client.submit("{\"type\":\"noop\"}"));
        }
        // Five released records (plus the scheduler's transaction markers) wait for a worker, and age.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText metrics = scrapeApi();
            assertThat(metrics.sum("kafka_consumer_group_lag", LAG_POOL)).isGreaterThanOrEqualTo(5);
            assertThat(maxLagSeconds(metrics)).isGreaterThanOrEqualTo(2.0);
        });
        assertThat(waiting).allSatisfy(id -> assertThat(client.status(id)).isEqualTo("pending"));

        ConfigurableApplicationContext restarted = startPoolWorker();
        try {
            waiting.forEach(id -> client.awaitStatus(id, "succeeded", Duration.ofSeconds(60)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PrometheusText metrics = scrapeApi();
                assertThat(metrics.sum("kafka_consumer_group_lag", LAG_POOL)).isZero();
                assertThat(maxLagSeconds(metrics)).isZero();
            });
        } finally {
            restarted.close();
        }
    }

    @Test
    void shouldCountTimersWaitingInTheScheduler() {
        client.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                scrape("scheduler").value("scheduler_pending_timers", Map.of())).isGreaterThanOrEqualTo(1));
        assertThat(scrape("scheduler").has("scheduler_release_lateness_seconds_bucket", Map.of())).isTrue();
    }

    private static long committedPartitions() {
        JsonNode report = Json.mapper().readTree(client.get("/api/v1/admin/lag?refresh=true").body());
        return report.path("groups").valueStream()
                .filter(group -> group.path("group").asString().equals(GROUP))
                .flatMap(group -> group.path("partitions").valueStream())
                .filter(partition -> partition.path("topic").asString().equals(Topics.ready(POOL, TaskPriority.NORMAL)))
                .count();
    }

    private static double maxLagSeconds(PrometheusText metrics) {
        return metrics.samples("kafka_consumer_group_lag_seconds", LAG_POOL).stream()
                .mapToDouble(PrometheusText.Sample::value).max().orElse(0);
    }

    private static ConfigurableApplicationContext startPoolWorker() {
        String[] args = Stream.of(infrastructure.springArguments(), SYSTEM_ARGS,
                        new String[] {"--server.port=0", "--management.server.port=0", "--scheduler.worker.pools." + POOL + ".concurrency=1"})
                .flatMap(Stream::of).toArray(String[]::new);
        return WorkerApplication.builder().registerShutdownHook(false).run(args);
    }

    private static PrometheusText scrapeApi() {
        return scrape("api-server");
    }

    private static PrometheusText scrape(String service) {
        HttpResponse<String> response = get(system.metricsUrl(service));
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
