package dev.taskscheduler.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskLifecycleTest {

    @Test
    void shouldAllowTheTransitionsOfTheRunbook() {
        assertThat(TaskLifecycle.isAllowed(TaskStatus.PENDING, TaskStatus.RUNNING)).isTrue();
        assertThat(TaskLifecycle.isAllowed(TaskStatus.RUNNING, TaskStatus.SUCCEEDED)).isTrue();
        // Stuck-task reset and dead-letter retry from the runbook.
        assertThat(TaskLifecycle.isAllowed(TaskStatus.RUNNING, TaskStatus.PENDING)).isTrue();
        assertThat(TaskLifecycle.isAllowed(TaskStatus.DEAD_LETTER, TaskStatus.PENDING)).isTrue();
    }

    @Test
    void shouldRefuseLeavingAFinishedTask() {
        for (TaskStatus target : TaskStatus.values()) {
            assertThat(TaskLifecycle.isAllowed(TaskStatus.SUCCEEDED, target)).isFalse();
            assertThat(TaskLifecycle.isAllowed(TaskStatus.CANCELLED, target)).isFalse();
        }
        assertThatThrownBy(() -> TaskLifecycle.requireAllowed(TaskStatus.SUCCEEDED, TaskStatus.RUNNING))
                .hasMessage("Illegal task transition succeeded -> running");
    }

    @Test
    void shouldMapDatabaseValues() {
        assertThat(TaskStatus.fromDbValue("dead_letter")).isEqualTo(TaskStatus.DEAD_LETTER);
        assertThatThrownBy(() -> TaskStatus.fromDbValue("done")).hasMessageContaining("'done'");
    }
}
