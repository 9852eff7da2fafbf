package dev.taskscheduler.faults.report;

import dev.taskscheduler.faults.check.Figures;
import dev.taskscheduler.faults.load.Refusal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scenario did and found.
 *
 * @param refused           submissions never accepted (refused, or unanswered after every try), each with its
 *                          reason: not in the ledger
 * @param recoverySeconds   from the end of the fault until a task submitted after it had succeeded; -1 if none did
 * @param settleSeconds     from the end of the load until every accepted task had ended (or the wait gave up)
 * @param skippedBecause    why the scenario could not run here, or null
 * @param error             what went wrong running the scenario itself, or null
 * @param notes             what the fault observed while it ran
 */
public record ScenarioResult(String name, String fault, Figures figures, List<Refusal> refused,
                             double recoverySeconds, double settleSeconds, double totalSeconds, String skippedBecause,
                             String error, List<String> notes) {

    public ScenarioResult {
        refused = List.copyOf(refused);
        notes = List.copyOf(notes);
    }

    public static ScenarioResult skipped(String name, String fault, String because) {
        return new ScenarioResult(name, fault, null, List.of(), -1, 0, 0, because, null, List.of());
    }

    public boolean pass() {
        return skippedBecause == null && error == null && figures != null && figures.pass() && recoverySeconds >= 0;
    }

    public String verdict() {
        if (skippedBecause != null) {
            return "skipped";
        }
        return pass() ? "pass" : "FAIL";
    }

    /** How many refusals there were for each channel and reason, e.g. {@code "REST: HTTP 400 …" → 2}. */
    public Map<String, Long> refusalsByReason() {
        Map<String, Long> counts = new TreeMap<>();
        refused.forEach(refusal -> counts.merge(refusal.channel() + ": " + refusal.reason(), 1L, Long::sum));
        return counts;
    }
}
