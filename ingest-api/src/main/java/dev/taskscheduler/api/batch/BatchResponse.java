package dev.taskscheduler.api.batch;

import java.util.List;

/** Counts and the per-task results of a batch, in request order. */
public record BatchResponse(int accepted, int rejected, List<BatchItemResult> results) {

    static BatchResponse of(List<BatchItemResult> results) {
        int accepted = (int) results.stream().filter(result -> result.status() == 202).count();
        return new BatchResponse(accepted, results.size() - accepted, results);
    }
}
