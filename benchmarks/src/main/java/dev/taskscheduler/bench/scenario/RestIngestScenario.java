package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.cost.CostMeter;
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
 * (a) REST ingest: clients in a closed loop on the single-task endpoint, then on the batch
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
        int singleClients = context.plan().singleClients();
        int batchSize = context.plan().batchSize();
        Instant parkedUntil = Instant.now().plus(Duration.ofDays(300));
        ScenarioResult result = new ScenarioResult("rest-ingest", "(a) REST ingest",
                "Clients in a closed loop (each sends its next request when the last is answered), "
                        + context.plan().warmup().toSeconds() + " s warm-up then " + context.plan().restDuration()
                        .toSeconds() + " s measured per endpoint: " + singleClients + " clients on the single-task "
                        + "endpoint, " + clients + " on the batch endpoint with " + batchSize + " tasks per request; "
                        + "response time from send to answer. CPU is taken over warm-up and measurement.");

        context.progress().status("single-task endpoint, %d clients", singleClients);
        CostMeter.Span singleCost = context.cost().start();
        ClosedLoop.Result single = ClosedLoop.run(singleClients, context.plan().warmup(),
                context.plan().restDuration(), () -> {
                    int status = context.rest().submit(Submissions.at(Submissions.PARKED, parkedUntil,
                            sequence.incrementAndGet())).status();
                    return status == 202 ? 1 : -1;
                });
        result.cost(singleCost.stop("single endpoint", single.tasksIncludingWarmup()));
        context.progress().status("single: %.0f tasks/s, p99 %.1f ms, %d errors", single.tasksPerSecond(),
                Percentiles.of(single.latencyMicros()).p99(), single.errors());

        context.progress().status("batch endpoint, %d clients, %d tasks per request", clients, batchSize);
        CostMeter.Span batchCost = context.cost().start();
        ClosedLoop.Result batch = ClosedLoop.run(clients, context.plan().warmup(), context.plan().restDuration(),
                () -> {
                    var response = context.rest().submitBatch(Submissions.batch(batchSize,
                            i -> Submissions.at(Submissions.PARKED, parkedUntil, sequence.incrementAndGet())));
                    return response.status() == 200
                            ? Json.mapper().readTree(response.body()).path("accepted").asInt() : -1;
                });
        result.cost(batchCost.stop("batch endpoint", batch.tasksIncludingWarmup()));
        context.progress().status("batch: %.0f tasks/s (%.0f requests/s), p99 %.1f ms, %d errors",
                batch.tasksPerSecond(), batch.requestsPerSecond(), Percentiles.of(batch.latencyMicros()).p99(),
                batch.errors());

        double insert = context.results().baseline(PostgresBaselines.INSERT);
        result.figure("single.tasksPerSecond", single.tasksPerSecond())
                .figure("single.errors", single.errors())
                .figure("batch.tasksPerSecond", batch.tasksPerSecond())
                .figure("batch.requestsPerSecond", batch.requestsPerSecond())
                .figure("batch.errors", batch.errors())
                .figure("single.clients", singleClients)
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
