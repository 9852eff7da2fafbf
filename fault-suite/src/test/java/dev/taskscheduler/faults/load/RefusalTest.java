package dev.taskscheduler.faults.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.faults.load.Accepted.Channel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class RefusalTest {

    /** A refusing answer's body is whatever the server sent: it fits on one short line of the report. */
    @Property
    void anyReasonFitsOnOneShortLine(@ForAll String reason) {
        String kept = new Refusal(Channel.REST, "k", reason).reason();

        assertThat(kept).doesNotContain("\n", "\r").hasSizeLessThanOrEqualTo(161);
        if (!reason.isBlank() && reason.strip().length() <= 160 && !reason.strip().matches("(?s).*\\s.*")) {
            assertThat(kept).isEqualTo(reason.strip());
        }
    }
}
