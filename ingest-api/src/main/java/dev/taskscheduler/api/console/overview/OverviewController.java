package dev.taskscheduler.api.console.overview;

import dev.taskscheduler.api.console.ConsoleProperties;
import dev.taskscheduler.api.lag.ConsumerLagMonitor;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.security.Scope;
import dev.taskscheduler.store.WorkerLiveness;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The overview: tasks by status, throughput and failures of the last hour, dead letters, waiting
 * timers, live workers and, for admins (as in the API), consumer lag. The page reads its live part
 * again every refresh interval.
 */
@Controller
class OverviewController {

    private final OverviewQueries queries;
    private final WorkerLiveness liveness;
    private final ObjectProvider<ConsumerLagMonitor> lag;
    private final ConsoleProperties properties;

    OverviewController(OverviewQueries queries, WorkerLiveness liveness, ObjectProvider<ConsumerLagMonitor> lag,
            ConsoleProperties properties) {
        this.queries = queries;
        this.liveness = liveness;
        this.lag = lag;
        this.properties = properties;
    }

    @GetMapping("/console/overview")
    String overview(@AuthenticationPrincipal Caller caller, Model model) {
        OverviewQueries.Overview overview = queries.read(caller.taskTypes());
        model.addAttribute("overview", overview);
        model.addAttribute("charts", java.util.List.of(
                MinuteChart.of("Succeeded attempts per minute", overview.start(), overview.succeeded()),
                MinuteChart.of("Failed attempts per minute", overview.start(), overview.failed())));
        model.addAttribute("liveWorkers", liveness.alive(properties.workerTtl()).size());
        ConsumerLagMonitor monitor = lag.getIfAvailable();
        if (caller.has(Scope.ADMIN) && monitor != null) {
            model.addAttribute("lag", monitor.report());
        }
        return "console/overview";
    }
}
