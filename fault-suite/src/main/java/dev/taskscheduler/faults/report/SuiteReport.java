package dev.taskscheduler.faults.report;

import dev.taskscheduler.faults.check.Figures;
import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;

/** The suite's report: {@code report.md} for people and {@code report.json} for tools, in one folder. */
public final class SuiteReport {

    private SuiteReport() {
    }

    public static boolean passed(List<ScenarioResult> results) {
        return results.stream().allMatch(result -> result.pass() || result.skippedBecause() != null);
    }

    public static void write(Path dir, Instant started, String mode, List<ScenarioResult> results) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown(started, mode, results));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("mode", mode);
        json.put("passed", passed(results));
        json.put("scenarios", results.stream().map(SuiteReport::json).toList());
        Files.writeString(dir.resolve("report.json"),
                Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    }

    private static Map<String, Object> json(ScenarioResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", result.name());
        json.put("fault", result.fault());
        json.put("verdict", result.verdict());
        Figures f = result.figures();
        if (f != null) {
            json.put("accepted", f.accepted());
            json.put("ended", f.ended());
            json.put("endedAsMeant", f.endedAsMeant());
            json.put("lost", f.lost());
            json.put("stuck", f.stuck());
            json.put("early", f.early());
            json.put("duplicates", f.duplicates());
            json.put("duplicatesExplained", f.explained());
            json.put("duplicatesUnexplained", f.unexplained());
            json.put("problems", f.problems());
        }
        json.put("refused", result.refused().size());
        json.put("refusals", result.refusalsByReason());
        json.put("notes", result.notes());
        json.put("recoverySeconds", result.recoverySeconds());
        json.put("settleSeconds", result.settleSeconds());
        json.put("totalSeconds", result.totalSeconds());
        if (result.skippedBecause() != null) {
            json.put("skippedBecause", result.skippedBecause());
        }
        if (result.error() != null) {
            json.put("error", result.error());
        }
        return json;
    }

    static String markdown(Instant started, String mode, List<ScenarioResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# Fault suite report\n\n")
                .append("Started ").append(started).append(", ").append(mode).append(": ")
                .append(passed(results) ? "**pass**" : "**FAIL**").append(".\n\n")
                .append("| Scenario | Accepted | Ended | Lost | Stuck | Early | Duplicates (explained/unexplained) "
                        + "| Refused | Recovery s | Settle s | Total s | Result |\n")
                .append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (ScenarioResult r : results) {
            Figures f = r.figures();
            md.append("| ").append(r.name()).append(" | ");
            if (f == null) {
                md.append("- | - | - | - | - | - | ");
            } else {
                md.append(f.accepted()).append(" | ").append(f.ended()).append(" | ").append(f.lost()).append(" | ")
                        .append(f.stuck()).append(" | ").append(f.early()).append(" | ").append(f.duplicates())
                        .append(" (").append(f.explained()).append("/").append(f.unexplained()).append(") | ");
            }
            md.append(r.refused().size()).append(" | ").append(r.recoverySeconds() < 0 ? "none" : r.recoverySeconds())
                    .append(" | ").append(r.settleSeconds()).append(" | ").append(r.totalSeconds()).append(" | ")
                    .append(r.verdict()).append(" |\n");
        }
        md.append("\n## Faults\n\n");
        for (ScenarioResult r : results) {
            md.append("- **").append(r.name()).append("**: ").append(r.fault()).append('\n');
            if (r.skippedBecause() != null) {
                md.append("  - skipped: ").append(r.skippedBecause()).append('\n');
            }
            if (r.error() != null) {
                md.append("  - error: ").append(r.error()).append('\n');
            }
            r.notes().forEach(note -> md.append("  - ").append(note).append('\n'));
            r.refusalsByReason().forEach((reason, count) -> md.append("  - refused ").append(count).append(" × ")
                    .append(reason).append('\n'));
            if (r.figures() != null) {
                if (r.figures().endedAsMeant() != r.figures().ended()) {
                    md.append("  - ended otherwise than their handler meant: ")
                            .append(r.figures().ended() - r.figures().endedAsMeant()).append('\n');
                }
                r.figures().problems().forEach(problem -> md.append("  - ").append(problem).append('\n'));
            }
        }
        md.append("""

                Accepted: REST 202 answers, batch items accepted, topic records acknowledged by the broker, probes.
                Lost: accepted but not in PostgreSQL. Stuck: not ended when the wait gave up. Early: an attempt
                started before the due time it was claimed for or the task's runAt, or a retry due before the
                attempt it repeats had ended (all on the database's clock). Duplicates: successful runs of the handler beyond
                the one the task records; explained when run by a worker the scenario killed or froze and recorded
                as an attempt of its own. Refused: submissions never accepted (refused, or unanswered after every
                try), with their reasons under the fault. Recovery: from the end of the fault until a task submitted after it had succeeded.
                """);
        return md.toString();
    }
}
