package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatchedDebeziumClassesTest {

    @Test
    void theRelaysCopiesAreTheOnesLoaded() {
        assertThat(PatchedDebeziumClasses.notLoaded())
                .as("loaded from %s", PatchedDebeziumClasses.PATCHED.stream().map(PatchedDebeziumClasses::loadedFrom).toList())
                .isEmpty();
    }
}
