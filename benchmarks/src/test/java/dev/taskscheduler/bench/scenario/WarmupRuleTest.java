package dev.taskscheduler.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When the warm-up ends, and what it offers in each round. */
class WarmupRuleTest {

    private final WarmupRule rule = new WarmupRule(1_000, 2, 8, 8);

    @Test
    void theFirstRoundOffersHalfTheRateAndTheOthersAllOfIt() {
        assertThat(rule.rateOf(1)).isEqualTo(500);
        assertThat(rule.rateOf(2)).isEqualTo(1_000);
        assertThat(rule.rateOf(8)).isEqualTo(1_000);
        assertThat(new WarmupRule(1, 1, 1, 0).rateOf(1)).isEqualTo(1);
    }

    @Test
    void quietCompilersEndItOnlyOnceTheLeastRoundsHaveRun() {
        assertThat(rule.doneAfter(1, 0.5)).isFalse();
        assertThat(rule.doneAfter(2, 0.5)).isTrue();
        assertThat(rule.doneAfter(2, 8)).isTrue();
    }

    @Test
    void busyCompilersKeepItGoingUntilTheLastRound() {
        assertThat(rule.doneAfter(2, 8.1)).isFalse();
        assertThat(rule.doneAfter(7, 40)).isFalse();
        assertThat(rule.doneAfter(8, 40)).isTrue();
    }

    @Test
    void compilersThatCannotBeMeasuredEndItAtTheLeastRounds() {
        assertThat(rule.doneAfter(1, Double.NaN)).isFalse();
        assertThat(rule.doneAfter(2, Double.NaN)).isTrue();
    }

    @Test
    void roundsMustBeOrdered() {
        assertThatThrownBy(() -> new WarmupRule(1_000, 3, 2, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmupRule(1_000, 0, 2, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmupRule(0, 1, 2, 8)).isInstanceOf(IllegalArgumentException.class);
    }
}
