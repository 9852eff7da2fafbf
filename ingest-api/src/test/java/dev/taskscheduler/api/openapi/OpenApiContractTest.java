package dev.taskscheduler.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.client.ApiClient;
import dev.taskscheduler.client.ApiException;
import dev.taskscheduler.client.api.DeadLettersApi;
import dev.taskscheduler.client.api.OperationsApi;
import dev.taskscheduler.client.api.SchedulesApi;
import dev.taskscheduler.client.api.TasksApi;
import dev.taskscheduler.client.model.BatchItemResult;
import dev.taskscheduler.client.model.BatchRequest;
import dev.taskscheduler.client.model.BatchResponse;
import dev.taskscheduler.client.model.LagReport;
import dev.taskscheduler.client.model.Problem;
import dev.taskscheduler.client.model.ReplayRequest;
import dev.taskscheduler.client.model.ReplayResult;
import dev.taskscheduler.client.model.RescheduleRequest;
import dev.taskscheduler.client.model.ScheduleRequest;
import dev.taskscheduler.client.model.ScheduleResponse;
import dev.taskscheduler.client.model.TaskResponse;
import dev.taskscheduler.client.model.TaskSubmission;
import dev.taskscheduler.client.model.TaskTemplate;
import dev.taskscheduler.client.model.TopicReplayResult;
import dev.taskscheduler.testsupport.Infrastructure;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The contract: a Java client generated at build time from the committed OpenAPI document (which
 * {@link OpenApiDocumentTest} proves equal to the live one) drives every endpoint of the running
 * api-server, on real PostgreSQL, Kafka and Redis. Payloads of any shape come back unchanged;
 * errors arrive as typed RFC 9457 problems.
 */
class OpenApiContractTest {

    /** A task type of this run only, so listings and replays see the tasks of this test alone. */
    private static final String TYPE = "contract." + UUID.randomUUID().toString().substring(0, 8);

    private static RunningApiServer api;
    private static JdbcClient db;
    private static ApiClient client;
    private static TasksApi tasks;

    @BeforeContainer
    static void start() {
        Infrastructure infrastructure = Infrastructure.shared();
        api = RunningApiServer.start(infrastructure);
        db = JdbcClient.create(infrastructure.dataSource());
        client = new ApiClient();
        client.updateBaseUri(api.baseUrl());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + api.adminKey()));
        tasks = new TasksApi(client);
    }

    @AfterContainer
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Property(tries = 25)
    void aSubmittedPayloadOfAnyShapeIsReadBackUnchanged(@ForAll("payloads") Map<String, Object> payload)
            throws Exception {
        TaskResponse submitted = tasks.submitTask(new TaskSubmission().type(TYPE).payload(payload)
                .runAt(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)), null);

        TaskResponse read = tasks.getTask(submitted.getId(), true);

        assertThat(read.getStatus()).isEqualTo(TaskResponse.StatusEnum.PENDING);
        assertThat(sameJson(read.getPayload(), payload)).as("read back %s", read.getPayload()).isTrue();
        assertThat(sameJson(submitted.getPayload(), payload)).as("answered %s", submitted.getPayload()).isTrue();
    }

    @Example
    void theReportedSubmissionKeepsItsPayload() throws Exception {
        Map<String, Object> payload = Map.of("hello", "from-generated-client", "n", 42);

        TaskResponse submitted = tasks.submitTask(new TaskSubmission().type(TYPE).payload(payload)
                .delay("PT1H").priority(TaskSubmission.PriorityEnum.HIGH), "contract-" + UUID.randomUUID());

        assertThat(tasks.getTask(submitted.getId(), false).getPayload()).isEqualTo(payload);
        assertThat(submitted.getPriority()).isEqualTo(TaskResponse.PriorityEnum.HIGH);
    }

    @Example
    void aBatchAnswersEachTaskInRequestOrder() throws Exception {
        BatchResponse batch = tasks.submitTaskBatch(new BatchRequest().tasks(List.of(
                new TaskSubmission().type(TYPE).payload(Map.of("i", 0)).delay("PT1H"),
                new TaskSubmission().type(TYPE).delay("not-a-duration"))));

        assertThat(batch.getAccepted()).isEqualTo(1);
        assertThat(batch.getRejected()).isEqualTo(1);
        assertThat(batch.getResults().get(0).getStatus()).isEqualTo(BatchItemResult.StatusEnum.NUMBER_202);
        assertThat(tasks.getTask(batch.getResults().get(0).getId(), false).getPayload()).isEqualTo(Map.of("i", 0));
        Problem rejected = batch.getResults().get(1).getProblem();
        assertThat(rejected.getStatus()).isEqualTo(400);
        assertThat(rejected.getErrors()).anySatisfy(error -> assertThat(error.getField()).isEqualTo("delay"));
    }

    @Example
    void aPendingTaskCanBeRescheduledListedAndCancelled() throws Exception {
        UUID id = tasks.submitTask(new TaskSubmission().type(TYPE).delay("PT1H"), null).getId();
        OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.SECONDS);

        TaskResponse moved = tasks.rescheduleTask(id, new RescheduleRequest().runAt(later));
        List<TaskResponse> listed = tasks.listTasks("pending", TYPE, null, 1000, null);
        TaskResponse cancelled = tasks.cancelTask(id);

        assertThat(moved.getRunAt()).isEqualTo(later);
        assertThat(listed).extracting(TaskResponse::getId).contains(id);
        assertThat(cancelled.getStatus()).isEqualTo(TaskResponse.StatusEnum.CANCELLED);
        Problem conflict = problem(() -> tasks.cancelTask(id), 409);
        assertThat(conflict.getStatus()).isEqualTo(409);
        assertThat(conflict.getTaskStatus()).isEqualTo("cancelled");
    }

    @Example
    void aScheduleGoesThroughItsWholeLife() throws Exception {
        SchedulesApi schedules = new SchedulesApi(client);
        Map<String, Object> payload = Map.of("report", Map.of("format", "pdf", "pages", List.of(1, 2)));
        ScheduleRequest request = new ScheduleRequest().name("contract-" + UUID.randomUUID()).cron("0 3 * * *")
                .timeZone("Europe/Paris").task(new TaskTemplate().type(TYPE).payload(payload));

        ScheduleResponse created = schedules.createSchedule(request);
        ScheduleResponse updated = schedules.updateSchedule(created.getId(), request.cron("30 3 * * *"));
        ScheduleResponse paused = schedules.pauseSchedule(created.getId());
        ScheduleResponse resumed = schedules.resumeSchedule(created.getId());
        ScheduleResponse read = schedules.getSchedule(created.getId());
        List<ScheduleResponse> listed = schedules.listSchedules();
        schedules.deleteSchedule(created.getId());

        assertThat(created.getTask().getPayload()).isEqualTo(payload);
        assertThat(updated.getCron()).isEqualTo("30 3 * * *");
        assertThat(paused.getPaused()).isTrue();
        assertThat(paused.getNextFireAt()).isNull();
        assertThat(resumed.getPaused()).isFalse();
        assertThat(read.getCron()).isEqualTo("30 3 * * *");
        assertThat(listed).extracting(ScheduleResponse::getId).contains(created.getId());
        assertThat(problem(() -> schedules.getSchedule(created.getId()), 404).getStatus()).isEqualTo(404);
    }

    @Example
    void deadLettersAreListedAndReplayed() throws Exception {
        DeadLettersApi deadLetters = new DeadLettersApi(client);
        UUID id = tasks.submitTask(new TaskSubmission().type(TYPE).payload(Map.of("dead", true)).delay("PT1H"), null)
                .getId();
        // The api-server runs no handlers: the task is dead-lettered the way a worker's last failure leaves it.
        db.sql("UPDATE tasks SET status = 'dead_letter', last_error = 'contract' WHERE id = ?::uuid").param(id).update();

        List<TaskResponse> listed = deadLetters.listDeadLetters(TYPE, "contract", null, null, 100);
        ReplayResult replay = deadLetters.replayDeadLetters(new ReplayRequest().taskIds(List.of(id)));
        TopicReplayResult fromTopic = deadLetters.replayDeadLettersFromTopic(
                new ReplayRequest().taskIds(List.of(UUID.randomUUID())).dryRun(true));

        assertThat(listed).extracting(TaskResponse::getId).containsExactly(id);
        assertThat(replay.getReplayed()).isEqualTo(1);
        assertThat(tasks.getTask(id, false).getStatus()).isEqualTo(TaskResponse.StatusEnum.PENDING);
        assertThat(fromTopic.getDryRun()).isTrue();
        assertThat(fromTopic.getCreatedTaskIds()).isEmpty();
    }

    @Example
    void theConsumerLagIsReported() throws Exception {
        LagReport lag = new OperationsApi(client).getConsumerLag(true);

        assertThat(lag.getRefreshedAt()).isNotNull();
        assertThat(lag.getGroups()).isNotNull();
    }

    @Example
    void invalidInputArrivesAsATypedProblemNamingTheField() {
        Problem problem = problem(() -> tasks.submitTask(new TaskSubmission().type(TYPE).maxRetries(1000), null), 400);

        assertThat(problem.getType().toString()).isEqualTo("https://task-scheduler.dev/problems/invalid-task");
        assertThat(problem.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getField()).isEqualTo("maxRetries"));
    }

    @Example
    void anUnknownTaskArrivesAsATypedNotFoundProblem() {
        Problem problem = problem(() -> tasks.getTask(UUID.randomUUID(), true), 404);

        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getTitle()).isNotBlank();
    }

    /** The problem the failed call answered, read with the generated model; asserts status and media type. */
    private static Problem problem(Call call, int status) {
        ApiException failure = catchThrowableOfType(ApiException.class, call::run);
        assertThat(failure).as("the call should fail with %d", status).isNotNull();
        assertThat(failure.getCode()).isEqualTo(status);
        assertThat(failure.getResponseHeaders().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        try {
            return client.getObjectMapper().readValue(failure.getResponseBody(), Problem.class);
        } catch (Exception e) {
            throw new AssertionError("not a problem: " + failure.getResponseBody(), e);
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /** Equal as JSON: numbers by value, whatever Java type the client's mapper picked for each. */
    private static boolean sameJson(Object actual, Object expected) {
        ObjectMapper mapper = client.getObjectMapper();
        JsonNode a = mapper.valueToTree(actual);
        JsonNode e = mapper.valueToTree(expected);
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        }, e);
    }

    @Provide
    Arbitrary<Map<String, Object>> payloads() {
        return objects(4);
    }

    private static Arbitrary<Map<String, Object>> objects(int depth) {
        return Arbitraries.maps(text(), values(depth - 1)).ofMaxSize(4);
    }

    private static Arbitrary<Object> values(int depth) {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                text().map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1_000_000_000L), BigDecimal.valueOf(1_000_000_000L))
                        .ofScale(6).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.just(null));
        if (depth <= 0) {
            return leaves;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaves),
                Tuple.of(1, Arbitraries.lazy(() -> objects(depth)).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(4).map(Object.class::cast)));
    }

    /**
     * Text of the Basic Multilingual Plane and beyond, but no NUL (which PostgreSQL cannot store, so
     * the API refuses it) and no lone surrogate (not encodable as UTF-8).
     */
    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(12),
                Arbitraries.of("", "ünïcødé", "emoji \ud83d\ude80", "quote \" and \\ backslash", "line\nbreak"));
    }
}
