package dev.taskscheduler.api.lag;

import static dev.taskscheduler.api.openapi.ProblemResponse.NOT_FOUND;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Consumer-group lag as JSON, for people and scripts (Prometheus reads the same figures as metrics). */
@Tag(name = ApiTags.OPERATIONS)
@RestController
class LagController {

    private final ObjectProvider<ConsumerLagMonitor> monitor;

    LagController(ObjectProvider<ConsumerLagMonitor> monitor) {
        this.monitor = monitor;
    }

    /**
     * The last reading (every {@code scheduler.lag.interval}); {@code refresh=true} reads the lag
     * now. 404 when the monitor is disabled.
     */
    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "getConsumerLag",
            summary = "Consumer-group lag per group and partition",
            description = "`refresh=true` reads it now; 404 when the lag monitor is disabled.")
    @GetMapping("/api/v1/admin/lag")
    ResponseEntity<LagReport> lag(@RequestParam(defaultValue = "false") boolean refresh) {
        ConsumerLagMonitor lagMonitor = monitor.getIfAvailable();
        if (lagMonitor == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(refresh ? lagMonitor.refresh() : lagMonitor.report());
    }
}
