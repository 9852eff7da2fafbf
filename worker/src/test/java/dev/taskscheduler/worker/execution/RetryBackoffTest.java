package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10));

    @Test
    void shouldGrowExponentiallyUpToTheCap() {
        RetryBackoff middle = new RetryBackoff(0.2, () -> 0.5);

        assertThat(middle.delayAfter(policy, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.delayAfter(policy, 1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.delayAfter(policy, 3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(middle.delayAfter(policy, 4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(middle.delayAfter(policy, 40)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldSpreadByTheJitter() {
        assertThat(new RetryBackoff(0.2, () -> 0.0).delayAfter(policy, 1)).isEqualTo(Duration.ofMillis(1600));
        assertThat(new RetryBackoff(0.2, () -> 0.999_999).delayAfter(policy, 1)).isEqualTo(Duration.ofMillis(2400));
    }
}
