package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.launcher.ops.OpsScript.Result;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runbook's stuck-task and dead-letter procedures, run as {@code ops/scripts} processes against a
 * real PostgreSQL with the application's schema. That the tasks then run again is shown with the
 * whole system in {@link CredentialRotationEndToEndTest}.
 */
@RealInfrastructure
class TaskRepairScriptsTest {

    private final Infrastructure infrastructure;
    private ScratchDatabase database;

    TaskRepairScriptsTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    @BeforeEach
    void createDatabase() {
        database = ScratchDatabase.createWithSchema(infrastructure, "repair");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void shouldListExactlyTheTasksRunningWithoutUpdateForLongerThanTheThreshold() {
        UUID stuckLong = TaskRows.running(database.db(), "noop", Duration.ofHours(3));
        UUID stuck = TaskRows.running(database.db(), "mail", Duration.ofMinutes(31));
        UUID busy = TaskRows.running(database.db(), "noop", Duration.ofMinutes(10));
        TaskRows.pending(database.db(), "noop");
        TaskRows.deadLetter(database.db(), "noop");

        Result byDefault = script("stuck-tasks.sh", "list", "--csv");
        Result fiveMinutes = script("stuck-tasks.sh", "list", "--csv", "--older-than", "PT5M");
        Result table = script("stuck-tasks.sh", "list");

        assertThat(byDefault.exitCode()).as(byDefault.toString()).isZero();
        assertThat(byDefault.csvIds()).containsExactly(stuckLong.toString(), stuck.toString());
        assertThat(fiveMinutes.csvIds()).containsExactly(stuckLong.toString(), stuck.toString(), busy.toString());
        assertThat(table.stdout()).contains(stuck.toString()).contains("worker-gone").doesNotContain(busy.toString());
    }

    @Test
    void shouldResetExactlyTheStuckTasksToPendingAndRecordTheAttemptAsAbandoned() {
        UUID stuck = TaskRows.running(database.db(), "noop", Duration.ofMinutes(45));
        UUID busy = TaskRows.running(database.db(), "noop", Duration.ofMinutes(1));

        Result reset = script("stuck-tasks.sh", "reset", "--csv", "--older-than", "30m");

        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.csvIds()).containsExactly(stuck.toString());
        assertThat(task(stuck)).containsEntry("status", "pending").containsEntry("worker_id", null)
                .containsEntry("retry_count", 0);
        assertThat(task(busy)).containsEntry("status", "running").containsEntry("worker_id", "worker-gone");
        assertThat(outcomes(stuck)).containsExactly("abandoned");
        assertThat(script("stuck-tasks.sh", "list", "--csv").csvIds()).isEmpty();
    }

    @Test
    void shouldListDeadLettersAndRetryTheGivenOnesWithAFullRetryBudget() {
        UUID first = TaskRows.deadLetter(database.db(), "mail");
        UUID second = TaskRows.deadLetter(database.db(), "mail");
        UUID pending = TaskRows.pending(database.db(), "mail");

        Result list = script("dead-letters.sh", "list", "--csv");
        Result retry = script("dead-letters.sh", "retry", first.toString(), "--operator", "alice", "--csv");

        assertThat(list.csvIds()).containsExactlyInAnyOrder(first.toString(), second.toString());
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.csvIds()).containsExactly(first.toString());
        assertThat(task(first)).containsEntry("status", "pending").containsEntry("retry_count", 0)
                .containsEntry("replay_count", 1).containsEntry("worker_id", null);
        assertThat(database.db().sql("SELECT updated_at > now() - interval '1 minute' FROM tasks WHERE id = ?")
                .param(first).query(Boolean.class).single()).isTrue();
        assertThat(task(second)).containsEntry("status", "dead_letter");
        assertThat(task(pending)).containsEntry("status", "pending").containsEntry("replay_count", 0);
        assertThat(database.db().sql("SELECT requested_by || ':' || matched || ':' || replayed FROM dlq_replays")
                .query(String.class).list()).containsExactly("alice:1:1");
    }

    @Test
    void shouldNameTheIdsItCouldNotRetryAndStillRetryTheOthers() {
        UUID deadLetter = TaskRows.deadLetter(database.db(), "mail");
        UUID pending = TaskRows.pending(database.db(), "mail");
        UUID unknown = UUID.randomUUID();

        Result retry = script("dead-letters.sh", "retry", deadLetter.toString(), pending.toString(), unknown.toString());

        assertThat(retry.exitCode()).as(retry.toString()).isEqualTo(4);
        assertThat(retry.stderr()).contains(pending.toString()).contains(unknown.toString())
                .doesNotContain(deadLetter.toString());
        assertThat(task(deadLetter)).containsEntry("status", "pending");
    }

    @Test
    void shouldRetryAllDeadLettersOfOneTypeAndNothingWithoutIdsOrAll() {
        UUID mail = TaskRows.deadLetter(database.db(), "mail");
        UUID sms = TaskRows.deadLetter(database.db(), "sms");

        Result refused = script("dead-letters.sh", "retry");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(task(mail)).containsEntry("status", "dead_letter");

        Result retry = script("dead-letters.sh", "retry", "--all", "--type", "mail", "--csv");

        assertThat(retry.csvIds()).containsExactly(mail.toString());
        assertThat(task(mail)).containsEntry("status", "pending");
        assertThat(task(sms)).containsEntry("status", "dead_letter");
    }

    private Result script(String name, String... args) {
        return OpsScript.of(name).postgres(database.login()).run(args);
    }

    private Map<String, Object> task(UUID id) {
        return database.db().sql("SELECT status, worker_id, retry_count, replay_count FROM tasks WHERE id = ?")
                .param(id).query().singleRow();
    }

    private List<String> outcomes(UUID id) {
        return database.db().sql("SELECT outcome FROM task_attempts WHERE task_id = ? ORDER BY started_at, id")
                .param(id).query(String.class).list();
    }
}
