package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry, List.of("default"), Set.of("email"));

    @Test
    void knownCombinationsAreExportedAtZeroFromTheStart() {
        for (String outcome : WorkerMetrics.OUTCOMES) {
            assertThat(attempts("default", "email", outcome)).isZero();
        }
        assertThat(registry.get("worker_task_execution").tags("pool", "default", "type", "email").timer().count())
                .isZero();
        assertThat(registry.get("worker_deferred_tasks").tags("type", "other").counter().count()).isZero();
    }

    @Test
    void attemptsAreCountedByPoolTypeAndOutcomeEveryTime() {
        metrics.attempt("default", "email", "succeeded");
        metrics.attempt("default", "email", "succeeded");
        metrics.attempt("default", "email", "retried");
        metrics.attempt("bulk", "email", "succeeded");

        assertThat(attempts("default", "email", "succeeded")).isEqualTo(2);
        assertThat(attempts("default", "email", "retried")).isEqualTo(1);
        assertThat(attempts("bulk", "email", "succeeded")).isEqualTo(1);
    }

    /** A type this process has no handler for is counted as "other", so tags stay bounded. */
    @Test
    void unknownTypesShareOneSeries() {
        metrics.attempt("default", "made-up-1", "dead_letter");
        metrics.attempt("default", "made-up-2", "dead_letter");
        metrics.deferred("made-up-3");
        metrics.executed("default", "made-up-4", Duration.ofMillis(3));

        assertThat(attempts("default", "other", "dead_letter")).isEqualTo(2);
        assertThat(registry.find("worker_task_attempts").tag("type", "made-up-1").counter()).isNull();
        assertThat(registry.get("worker_deferred_tasks").tags("type", "other").counter().count()).isEqualTo(1);
        assertThat(registry.get("worker_task_execution").tags("pool", "default", "type", "other").timer().count())
                .isEqualTo(1);
    }

    @Test
    void executionsRescuesAndSingleCountersAccumulate() {
        metrics.executed("default", "email", Duration.ofMillis(5));
        metrics.executed("default", "email", Duration.ofMillis(7));
        metrics.rescued("lease", 3);
        metrics.rescued("lease", 2);
        metrics.unreadable();
        metrics.rowNotVisible();
        metrics.rowNotVisible();
        metrics.republishedOverdue(4);

        assertThat(registry.get("worker_task_execution").tags("pool", "default", "type", "email").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(registry.get("worker_rescued_tasks").tags("reason", "lease").counter().count()).isEqualTo(5);
        assertThat(registry.get("worker_unreadable_records").counter().count()).isEqualTo(1);
        assertThat(registry.get("worker_claims_without_row").counter().count()).isEqualTo(2);
        assertThat(registry.get("worker_republished_overdue_tasks").counter().count()).isEqualTo(4);
    }

    private double attempts(String pool, String type, String outcome) {
        return registry.get("worker_task_attempts").tags("pool", pool, "type", type, "outcome", outcome).counter()
                .count();
    }
}
