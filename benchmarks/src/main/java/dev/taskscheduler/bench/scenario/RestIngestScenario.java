package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.load.ClosedLoop;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (a) REST ingest: N clients in a closed loop on the single-task endpoint, then on the batch
 * endpoint. The tasks are due in 300 days and routed to a pool no worker reads, so only ingest
 * is measured.
 */
public final class RestIngestScenario {

    private final ScenarioContext context;
    private final AtomicLong sequence = new AtomicLong();

    public RestIngestScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws InterruptedException {
        int clients = context.plan().restClients();
        int batchSize = context.plan().batchSize();
        Instant parkedUntil = Instant.now().plus(Duration.ofDays(300));
        ScenarioResult result = new ScenarioResult("rest-ingest", "(a) REST ingest",
                clients + " clients in a closed loop, " + context.plan().warmup().toSeconds() + " s warm-up then "
                        + context.plan().restDuration().toSeconds() + " s measured per endpoint; response time from "
                        + "send to answer; batches of " + batchSize + ".");

        context.progress().status("single-task endpoint, %d clients", clients);
        ClosedLoop.Result single = ClosedLoop.run(clients, context.plan().warmup(), context.plan().restDuration(),
                () -> {
                    int status = context.rest().submit(Submissions.at(Submissions.PARKED, parkedUntil,
                            sequence.incrementAndGet())).statusCode();
                    return status == 202 ? 1 : -1;
                });
        context.progress().status("single: %.0f tasks/s, p99 %.1f ms, %d errors", single.tasksPerSecond(),
                Percentiles.of(single.latencyMicros()).p99(), single.errors());

        context.progress().status("batch endpoint, %d clients, %d tasks per request", clients, batchSize);
        ClosedLoop.Result batch = ClosedLoop.run(clients, context.plan().warmup(), context.plan().restDuration(),
                () -> {
                    var response = context.rest().submitBatch(Submissions.batch(batchSize,
                            i -> Submissions.at(Submissions.PARKED, parkedUntil, sequence.incrementAndGet())));
                    return response.statusCode() == 200
                            ? Json.mapper().readTree(response.body()).path("accepted").asInt() : -1;
                });
        context.progress().status("batch: %.0f tasks/s (%.0f requests/s), p99 %.1f ms, %d errors",
                batch.tasksPerSecond(), batch.requestsPerSecond(), Percentiles.of(batch.latencyMicros()).p99(),
                batch.errors());

        double insert = context.results().baseline(PostgresBaselines.INSERT);
        result.figure("single.tasksPerSecond", single.tasksPerSecond())
                .figure("single.errors", single.errors())
                .figure("batch.tasksPerSecond", batch.tasksPerSecond())
                .figure("batch.requestsPerSecond", batch.requestsPerSecond())
                .figure("batch.errors", batch.errors())
                .latency("single request", Percentiles.of(single.latencyMicros()))
                .latency("batch request (" + batchSize + " tasks)", Percentiles.of(batch.latencyMicros()))
                .compare(new Comparison("single endpoint, tasks/s", single.tasksPerSecond(),
                        PostgresBaselines.INSERT, insert))
                .compare(new Comparison("batch endpoint, tasks/s", batch.tasksPerSecond(),
                        PostgresBaselines.INSERT, insert))
                .chart(Chart.bars("Ingest throughput", "tasks/s",
                        List.of("single endpoint", "batch endpoint", "pgbench insert (1 row per tx)"),
                        List.of(new Chart.Series("tasks/s", List.of(new double[] {single.tasksPerSecond()},
                                new double[] {batch.tasksPerSecond()}, new double[] {insert})))));
        return result;
    }
}
