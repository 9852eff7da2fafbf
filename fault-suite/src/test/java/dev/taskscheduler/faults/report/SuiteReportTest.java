package dev.taskscheduler.faults.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.faults.check.Figures;
import dev.taskscheduler.faults.load.Accepted.Channel;
import dev.taskscheduler.faults.load.Refusal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteReportTest {

    private static final Figures CLEAN = new Figures(10, 10, 10, 0, 0, 0, 0, 0, List.of());

    @Test
    void everyRefusalIsListedWithItsReasonAndCount() {
        ScenarioResult result = new ScenarioResult("api-server-kill", "kill -9 of api-server", CLEAN,
                List.of(new Refusal(Channel.REST, "k1", "4 tries, the last: ConnectException"),
                        new Refusal(Channel.REST, "k2", "4 tries, the last: ConnectException"),
                        new Refusal(Channel.TOPIC, "k3", "not acknowledged: TimeoutException")),
                1.5, 2, 30, null, null, List.of());

        String markdown = SuiteReport.markdown(Instant.EPOCH, "suite", List.of(result));

        assertThat(markdown).contains("| 3 | 1.5 |")
                .contains("  - refused 2 × REST: 4 tries, the last: ConnectException\n")
                .contains("  - refused 1 × TOPIC: not acknowledged: TimeoutException\n");
        assertThat(result.pass()).isTrue();
    }

    @Test
    void aFaultsNotesAndASkipAreInTheReportAndASkipDoesNotFailTheSuite() {
        ScenarioResult ran = new ScenarioResult("kafka-disk-full", "disk full", CLEAN, List.of(), 4, 2, 30, null,
                null, List.of("the broker had stopped while the disk was full; started again"));
        ScenarioResult skipped = ScenarioResult.skipped("worker-clock-jump", "clock jump", "libfaketime is missing");

        String markdown = SuiteReport.markdown(Instant.EPOCH, "suite", List.of(ran, skipped));

        assertThat(markdown).contains("  - the broker had stopped while the disk was full; started again\n")
                .contains("  - skipped: libfaketime is missing\n")
                .contains("| worker-clock-jump | - | - | - | - | - | - | 0 | none | 0.0 | 0.0 | skipped |");
        assertThat(SuiteReport.passed(List.of(ran, skipped))).isTrue();
    }
}
