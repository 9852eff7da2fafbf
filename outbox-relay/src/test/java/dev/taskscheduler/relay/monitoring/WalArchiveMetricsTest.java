package dev.taskscheduler.relay.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;

import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.WalArchive;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The backup gauges against real servers: one archiving its WAL through pgBackRest (failing until the repository has
 * its stanza, then succeeding, then backed up), and one that does not archive.
 */
@RealInfrastructure
class WalArchiveMetricsTest {

    @TempDir
    Path work;

    @Test
    void followsFailedAndSuccessfulArchivingAndTheNewestBaseBackup() {
        WalArchive archive = new WalArchive(work.resolve("archive"), "metrics", Duration.ofSeconds(5));
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("data"), 0, archive)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            // Meters hold their object weakly: unreferenced, it could be collected mid-test and every reading be NaN.
            WalArchiveMetrics metrics = new WalArchiveMetrics(postgres.dataSource(), registry);
            JdbcClient admin = JdbcClient.create(postgres.superuserDataSource());
            assertThat(gauge(registry, "postgres.wal.archive.last.success.timestamp")).isZero();
            assertThat(gauge(registry, "postgres.base.backup.last.timestamp")).isZero();

            // No stanza in the repository yet: pgBackRest refuses every segment.
            admin.sql("SELECT pg_switch_wal()").query().listOfRows();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(registry.get("postgres.wal.archive.failures").functionCounter().count()).isPositive();
                // Each reading is a query: on a loaded machine one may time out (NaN); the next one counts.
                assertThat(gauge(registry, "postgres.wal.archive.last.failure.timestamp"))
                        .isCloseTo(nowSeconds(), offset(60.0));
            });
            assertThat(gauge(registry, "postgres.wal.archive.last.success.timestamp")).isZero();

            archive.run("stanza-create");
            archive.run("backup", "--type=full");

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    gauge(registry, "postgres.wal.archive.last.success.timestamp"))
                    .isGreaterThan(gauge(registry, "postgres.wal.archive.last.failure.timestamp")));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    gauge(registry, "postgres.base.backup.last.timestamp")).isCloseTo(nowSeconds(), offset(60.0)));
            Reference.reachabilityFence(metrics);
        }
    }

    @Test
    void exportsNothingToAlertOnWhereTheServerDoesNotArchive(Infrastructure infrastructure) {
        MeterRegistry registry = new SimpleMeterRegistry();
        WalArchiveMetrics metrics = new WalArchiveMetrics(infrastructure.dataSource(), registry);

        assertThat(gauge(registry, "postgres.wal.archive.last.success.timestamp")).isNaN();
        assertThat(gauge(registry, "postgres.wal.archive.last.failure.timestamp")).isNaN();
        assertThat(gauge(registry, "postgres.base.backup.last.timestamp")).isNaN();
        Reference.reachabilityFence(metrics); // a collected object's gauges read NaN too
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    private static double nowSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }
}
