package dev.taskscheduler.api.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.submission.ValidSubmission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gathering, isolation and back-pressure rules of group commit, with a store function of the test's own. */
class GroupCommitTest {

    private final ExecutorService clients = Executors.newFixedThreadPool(32);
    private GroupCommit groupCommit;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (groupCommit != null) {
            groupCommit.close();
        }
    }

    @Test
    void gathersWhatArrivesWhileATransactionRunsAndAnswersEachRequestItsOwnOutcome() throws Exception {
        CountDownLatch firstCommitRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        groupCommit = new GroupCommit(batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstCommitRunning.countDown();
                awaitRelease(releaseFirstCommit);
            }
            return batch.stream().map(GroupCommitTest::echo).toList();
        }, new GroupCommit.Settings(100, 1000, 1, Duration.ofSeconds(10)));

        CompletableFuture<BatchItemOutcome> first = submitAsync("first");
        firstCommitRunning.await(10, TimeUnit.SECONDS);
        List<CompletableFuture<BatchItemOutcome>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(submitAsync("task-" + i));
        }
        await().until(() -> groupCommit.queued() == 20);
        releaseFirstCommit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).result().task().type()).isEqualTo("first");
        for (int i = 0; i < 20; i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).result().task().type()).isEqualTo("task-" + i);
        }
        assertThat(batchSizes).containsExactly(1, 20);
    }

    @Test
    void storesABatchTheStoreRefusesOneByOneSoOnlyTheBadSubmissionFails() throws Exception {
        groupCommit = new GroupCommit(batch -> {
            if (batch.stream().anyMatch(submission -> submission.type().equals("bad"))) {
                throw new IllegalStateException("refused: " + batch.size() + " submissions");
            }
            return batch.stream().map(GroupCommitTest::echo).toList();
        }, new GroupCommit.Settings(100, 1000, 1, Duration.ofSeconds(10)));

        List<CompletableFuture<BatchItemOutcome>> outcomes = new ArrayList<>();
        for (String type : List.of("good-1", "bad", "good-2")) {
            outcomes.add(submitAsync(type));
        }

        assertThat(outcomes.get(0).get(10, TimeUnit.SECONDS).result().task().type()).isEqualTo("good-1");
        assertThat(outcomes.get(2).get(10, TimeUnit.SECONDS).result().task().type()).isEqualTo("good-2");
        assertThatThrownBy(() -> outcomes.get(1).get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("refused: 1 submissions");
    }

    @Test
    void refusesAtOnceWhenTheQueueIsFull() throws Exception {
        CountDownLatch commitRunning = new CountDownLatch(1);
        CountDownLatch releaseCommit = new CountDownLatch(1);
        groupCommit = new GroupCommit(blockingStore(commitRunning, releaseCommit),
                new GroupCommit.Settings(100, 2, 1, Duration.ofSeconds(10)));
        CompletableFuture<BatchItemOutcome> running = submitAsync("running");
        commitRunning.await(10, TimeUnit.SECONDS);
        List<CompletableFuture<BatchItemOutcome>> queued = List.of(submitAsync("queued-1"), submitAsync("queued-2"));
        await().until(() -> groupCommit.queued() == 2);

        assertThatThrownBy(() -> groupCommit.store(submission("one-too-many")))
                .isInstanceOf(SubmissionsOverloadedException.class);

        releaseCommit.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).result()).isNotNull();
        for (CompletableFuture<BatchItemOutcome> outcome : queued) {
            assertThat(outcome.get(10, TimeUnit.SECONDS).result()).isNotNull();
        }
    }

    private Function<List<ValidSubmission>, List<BatchItemOutcome>> blockingStore(CountDownLatch running,
            CountDownLatch release) {
        return batch -> {
            running.countDown();
            awaitRelease(release);
            return batch.stream().map(GroupCommitTest::echo).toList();
        };
    }

    private CompletableFuture<BatchItemOutcome> submitAsync(String type) {
        return CompletableFuture.supplyAsync(() -> groupCommit.store(submission(type)), clients);
    }

    private static void awaitRelease(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ValidSubmission submission(String type) {
        return new ValidSubmission(type, "{}", Instant.now(), 0, Duration.ofSeconds(1), RetryPolicy.defaults(), null,
                "fingerprint", TaskPriority.NORMAL);
    }

    /** A stored task that shows which submission it came from (its type). */
    private static BatchItemOutcome echo(ValidSubmission submission) {
        return BatchItemOutcome.stored(new SubmissionResult(new dev.taskscheduler.store.StoredTask(null,
                submission.type(), "{}", dev.taskscheduler.model.TaskStatus.PENDING, submission.runAt(), 0, 0, null,
                null, null, null, null, null, null, null, null, submission.timeout(), submission.retry(), 0,
                submission.priority()), true));
    }
}
