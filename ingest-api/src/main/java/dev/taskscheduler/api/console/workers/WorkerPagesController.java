package dev.taskscheduler.api.console.workers;

import dev.taskscheduler.api.console.ConsoleProperties;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.WorkerCapacity;
import dev.taskscheduler.store.WorkerLiveness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Live workers from their heartbeat rows with the tasks each runs, the pools summed over the live
 * workers (handlers and how many are busy, per priority) and the shared limits per task type with
 * how many of their tasks run now. Read again every refresh interval.
 */
@Controller
class WorkerPagesController {

    private final WorkerLiveness liveness;
    private final WorkerQueries queries;
    private final ConsoleProperties properties;

    WorkerPagesController(WorkerLiveness liveness, WorkerQueries queries, ConsoleProperties properties) {
        this.liveness = liveness;
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping("/console/workers")
    String workers(@AuthenticationPrincipal Caller caller, Model model) {
        List<WorkerLiveness.LiveWorker> workers = liveness.alive(properties.workerTtl());
        List<WorkerQueries.RunningTask> running = queries.running(
                workers.stream().map(WorkerLiveness.LiveWorker::workerId).toList(), caller.taskTypes());
        model.addAttribute("workers", workers);
        model.addAttribute("running", running.stream().collect(Collectors.groupingBy(
                WorkerQueries.RunningTask::workerId, TreeMap::new, Collectors.toList())));
        model.addAttribute("pools", pools(workers));
        List<TypeLimitUse> limits = limits(workers);
        model.addAttribute("limits", limits);
        return "console/workers";
    }

    /** Pool → priority → handlers summed over the live workers. */
    static List<PoolUse> pools(List<WorkerLiveness.LiveWorker> workers) {
        Map<String, Map<String, int[]>> sums = new TreeMap<>();
        for (WorkerLiveness.LiveWorker worker : workers) {
            worker.capacity().pools().forEach((pool, byPriority) -> byPriority.forEach((priority, handlers) -> {
                int[] sum = sums.computeIfAbsent(pool, any -> new TreeMap<>())
                        .computeIfAbsent(priority, any -> new int[3]);
                sum[0] += handlers.size();
                sum[1] += handlers.busy();
                sum[2]++;
            }));
        }
        List<PoolUse> pools = new ArrayList<>();
        sums.forEach((pool, byPriority) -> {
            for (TaskPriority priority : TaskPriority.values()) {
                int[] sum = byPriority.get(priority.value());
                if (sum != null) {
                    pools.add(new PoolUse(pool, priority.value(), sum[2], sum[0], sum[1]));
                }
            }
        });
        return pools;
    }

    private List<TypeLimitUse> limits(List<WorkerLiveness.LiveWorker> workers) {
        Map<String, WorkerCapacity.TypeLimit> byType = new TreeMap<>();
        for (WorkerLiveness.LiveWorker worker : workers) {
            byType.putAll(worker.capacity().limits());
        }
        Map<String, Long> runningNow = queries.runningByType(byType.keySet());
        List<TypeLimitUse> limits = new ArrayList<>();
        byType.forEach((type, limit) -> limits.add(new TypeLimitUse(type, limit.maxConcurrency(),
                limit.ratePerSecond(), runningNow.getOrDefault(type, 0L))));
        return limits;
    }

    /** One pool and priority over all live workers: how many run it, with how many handlers, how many busy. */
    record PoolUse(String pool, String priority, int workers, int handlers, int busy) {
    }

    /** A task type's shared limit and how many of its tasks run now (0 in a limit: none). */
    record TypeLimitUse(String type, int maxConcurrency, int ratePerSecond, long running) {
    }
}
