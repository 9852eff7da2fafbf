package dev.taskscheduler.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.relay.engine.RelayStatus;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import dev.taskscheduler.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay application on real PostgreSQL and Kafka: task rows in, events on {@code task.events} out. Uses its own
 * slot and offsets topic, so it does not depend on (or disturb) other relays on the same servers.
 */
@RealInfrastructure
@Tag("slow")
class OutboxRelayIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelayIntegrationTest.class);

    private static final String SLOT = "outbox_relay_it_slot";
    private static final String OFFSETS_TOPIC = "outbox-relay-it.offsets";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Infrastructure infrastructure;
    private final JdbcClient db;
    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();

    OutboxRelayIntegrationTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
        this.db = JdbcClient.create(infrastructure.dataSource());
    }

    @BeforeAll
    static void removeLeftovers(Infrastructure infrastructure) {
        dropSlot(infrastructure);
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(ConfigurableApplicationContext::close);
        relays.clear();
    }

    @AfterAll
    static void removeSlotAndOffsets(Infrastructure infrastructure) throws Exception {
        // An abandoned slot would pin WAL for every later test in this JVM.
        dropSlot(infrastructure);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers()))) {
            admin.deleteTopics(List.of(OFFSETS_TOPIC)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * As deployed: the relay logs in as its own role, which may only replicate and read the outbox,
     * while Flyway applies the schema as the owner.
     */
    @Test
    void relaysAsItsOwnLeastPrivilegedRoleWithTheOwnerApplyingTheSchema() throws Exception {
        String password = "relay-" + UUID.randomUUID();
        try (Connection connection = infrastructure.superuserDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_outbox_relay') "
                    + "THEN CREATE ROLE ts_outbox_relay; END IF; END $$");
            statement.execute("ALTER ROLE ts_outbox_relay LOGIN REPLICATION NOSUPERUSER PASSWORD '" + password + "'");
        }
        List<String> args = new ArrayList<>(List.of(infrastructure.springArguments()));
        args.removeIf(arg -> arg.startsWith("--spring.datasource.username=") || arg.startsWith("--spring.datasource.password="));
        args.addAll(List.of("--spring.datasource.username=ts_outbox_relay", "--spring.datasource.password=" + password,
                "--spring.flyway.user=" + infrastructure.jdbcUsername(),
                "--spring.flyway.password=" + infrastructure.jdbcPassword(),
                // Its heartbeat (a logical WAL message) runs under the role too.
                "--scheduler.relay.heartbeat-interval=200ms"));
        // Grants go to roles that exist when they are given; this role may be newer than the schema.
        org.flywaydb.core.Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        db.sql("SELECT grant_service_roles()").query().singleRow();
        ConfigurableApplicationContext relay = startRelay(RelayStatus.State.STREAMING, args);
        UUID taskId = UUID.randomUUID();

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            db.sql("INSERT INTO tasks (id, type, payload, status, run_at) VALUES (?, 'noop', '{}', 'pending', now())")
                    .param(taskId).update();

            await().atMost(Duration.ofSeconds(30)).until(() -> eventsFor(consumer, Set.of(taskId)), e -> !e.isEmpty());
        }
        assertThat(relay.getBean(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class).getUsername())
                .isEqualTo("ts_outbox_relay");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(relay, "/actuator/prometheus"))
                .containsPattern("outbox_relay_events_total\\{topic=\"task.events\"} [1-9]"));
        assertThat(state(relay)).isEqualTo(RelayStatus.State.STREAMING);
        assertThat(get(relay, "/actuator/prometheus")).contains("outbox_relay_active 1.0")
                .containsPattern("outbox_relay_slot_retained_wal_bytes\\{slot=\"" + SLOT + "\"} \\d");
    }

    @Test
    void relaysATaskEventAsPlainJsonKeyedByTaskWithIdAndTypeHeaders() throws Exception {
        ConfigurableApplicationContext relay = startRelay();
        UUID taskId = UUID.randomUUID();
        long runAt = 1_700_000_000_000L;

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            db.sql("INSERT INTO tasks (id, type, payload, status, run_at) "
                            + "VALUES (?, 'noop', '{}', 'pending', to_timestamp(? / 1000.0))")
                    .params(taskId, runAt).update();

            ConsumedRecord event = await().atMost(Duration.ofSeconds(30))
                    .until(() -> eventsFor(consumer, Set.of(taskId)), events -> !events.isEmpty()).get(0);

            assertThat(event.key()).isEqualTo(taskId.toString());
            assertThat(event.header(EventHeaders.EVENT_TYPE)).isEqualTo(TaskEvent.SCHEDULED);
            assertThat(UUID.fromString(event.header(EventHeaders.EVENT_ID))).isNotNull();
            assertThat(event.headers()).containsOnlyKeys(EventHeaders.EVENT_ID, EventHeaders.EVENT_TYPE);
            // The payload column itself, not a string holding it nor a schema/payload envelope.
            JsonNode payload = JSON.readTree(event.value());
            assertThat(payload.isObject()).isTrue();
            JsonNode expected = JSON.readTree(
                    "{\"taskId\":\"" + taskId + "\",\"type\":\"noop\",\"attempt\":0,\"runAt\":" + runAt + "}");
            for (String field : List.of("taskId", "type", "attempt", "runAt")) {
                assertThat(payload.get(field)).as(field).isEqualTo(expected.get(field));
            }
            log.info("Consumer receives key={} headers={} value={}", event.key(), event.headers(), event.value());
        }

        assertThat(db.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
        assertThat(db.sql("SELECT tablename FROM pg_publication_tables WHERE pubname = 'task_outbox_publication'")
                .query(String.class).list()).containsExactly("outbox");

        String prometheus = get(relay, "/actuator/prometheus");
        assertThat(prometheus)
                .contains("outbox_relay_events_total{topic=\"task.events\"}")
                .contains("outbox_relay_delay_seconds_bucket")
                .contains("outbox_relay_active 1.0")
                .containsPattern("outbox_relay_slot_retained_wal_bytes\\{slot=\"" + SLOT + "\"} \\d")
                .contains("outbox_relay_slot_wal_status{slot=\"" + SLOT + "\",status=\"reserved\"} 1.0")
                .contains("outbox_relay_slot_wal_status{slot=\"" + SLOT + "\",status=\"lost\"} 0.0");
        assertThat(get(relay, "/actuator/health"))
                .contains("\"outboxRelay\"")
                .contains("\"active\":true")
                .contains("\"state\":\"STREAMING\"");
    }

    /** One statement writing many tasks emits one message (up to 1,000); every task still gets its own record. */
    @Test
    void relaysEachEventOfAMultiRowStatementAsItsOwnRecord() {
        startRelay();
        List<UUID> taskIds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            taskIds.add(UUID.randomUUID());
        }

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            db.sql("INSERT INTO tasks (id, type, payload, status, run_at) "
                            + "SELECT id, 'noop', '{}', 'pending', now() FROM unnest(?::uuid[]) AS id")
                    .param(taskIds.toArray(UUID[]::new)).update();

            List<ConsumedRecord> received = await().atMost(Duration.ofSeconds(30))
                    .until(() -> eventsFor(consumer, Set.copyOf(taskIds)), events -> events.size() >= taskIds.size());
            assertThat(keys(received)).hasSize(taskIds.size());
            assertThat(received).extracting(record -> record.header(EventHeaders.EVENT_ID)).doesNotHaveDuplicates();
        }
    }

    /** Events an older version wrote into the outbox table, still unread in the WAL, are relayed too. */
    @Test
    void relaysEventsWrittenToTheOutboxTable() {
        startRelay();
        UUID taskId = UUID.randomUUID();

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            db.sql("SELECT outbox_emit('task.events', ?, 'TaskScheduled', jsonb_build_object('taskId', ?::uuid, "
                            + "'type', 'noop', 'attempt', 0, 'runAt', 0, 'version', 1))")
                    .params(taskId.toString(), taskId.toString()).query().singleRow();

            ConsumedRecord event = await().atMost(Duration.ofSeconds(30))
                    .until(() -> eventsFor(consumer, Set.of(taskId)), events -> !events.isEmpty()).get(0);
            assertThat(event.header(EventHeaders.EVENT_TYPE)).isEqualTo(TaskEvent.SCHEDULED);
            assertThat(event.headers()).containsOnlyKeys(EventHeaders.EVENT_ID, EventHeaders.EVENT_TYPE);
        }
    }

    @Test
    void eventsWrittenWhileTheRelayIsDownArriveAfterItsRestart() {
        List<UUID> before = List.of(UUID.randomUUID());
        List<UUID> whileDown = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            whileDown.add(UUID.randomUUID());
        }

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            ConfigurableApplicationContext relay = startRelay();
            insertTasks(before);
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsFor(consumer, Set.copyOf(before)).size() == 1);
            // The offsets store's admin client goes with the engine (Debezium's stock store leaks it).
            assertThat(threadNames()).anyMatch(name -> name.endsWith("outbox-relay-offsets-admin"));
            relay.close();
            assertThat(threadNames()).noneMatch(name -> name.endsWith("outbox-relay-offsets-admin"));

            insertTasks(whileDown);
            startRelay();

            Set<UUID> expected = new HashSet<>(whileDown);
            List<ConsumedRecord> events = await().atMost(Duration.ofSeconds(60))
                    .until(() -> eventsFor(consumer, expected), received -> keys(received).size() == expected.size());
            // At least once: a replay may repeat events, never lose one. Consumers deduplicate on the id header.
            Set<String> distinctIds = events.stream().map(e -> e.header(EventHeaders.EVENT_ID)).collect(Collectors.toSet());
            assertThat(distinctIds).hasSize(expected.size());
            log.info("After the restart: {} events for {} tasks written while the relay was down ({} distinct ids)",
                    events.size(), expected.size(), distinctIds.size());
        }
    }

    @Test
    void aSecondRelayOnTheSameSlotStandsByAndTakesOverWhenTheFirstStops() {
        ConfigurableApplicationContext first = startRelay();
        ConfigurableApplicationContext second = startRelay(RelayStatus.State.STANDBY);
        assertThat(gauge(first, "outbox.relay.active")).isEqualTo(1);
        assertThat(gauge(second, "outbox.relay.active")).isZero();

        first.close();
        await().atMost(STARTUP).until(() -> state(second) == RelayStatus.State.STREAMING);
        assertThat(gauge(second, "outbox.relay.active")).isEqualTo(1);

        UUID taskId = UUID.randomUUID();
        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            insertTasks(List.of(taskId));
            await().atMost(Duration.ofSeconds(30)).until(() -> !eventsFor(consumer, Set.of(taskId)).isEmpty());
        }
    }

    @Test
    void anEventKafkaRejectsStopsTheRelayBeforeItsOffsetIsCommitted() throws Exception {
        // Kafka refuses every record larger than 10 bytes: the send fails, as it would with the broker unreachable.
        ConfigurableApplicationContext failing = startRelay(RelayStatus.State.STREAMING,
                "--spring.kafka.producer.properties[max.request.size]=10",
                "--scheduler.relay.restart.initial-backoff=3s");
        UUID taskId = UUID.randomUUID();
        insertTasks(List.of(taskId));

        await().atMost(Duration.ofSeconds(30)).until(() -> state(failing) == RelayStatus.State.RESTARTING);
        assertThat(failing.getBean(RelayStatus.class).lastError())
                .contains("RecordTooLargeException").contains("key=" + taskId);
        assertThat(get(failing, "/actuator/health")).contains("\"status\":\"DOWN\"");
        failing.close();

        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            startRelay();
            await().atMost(Duration.ofSeconds(30)).until(() -> !eventsFor(consumer, Set.of(taskId)).isEmpty());
        }
    }

    @Test
    void aRelayWhoseLockSessionEndsStopsAndCompetesForTheLockAgain() {
        startRelay();
        long lockSession = lockSessionPid();

        db.sql("SELECT pg_terminate_backend(?::int)").param(lockSession).query().listOfRows();

        await().atMost(STARTUP).until(() -> {
            long pid = lockSessionPid();
            return pid != -1 && pid != lockSession;
        });
        UUID taskId = UUID.randomUUID();
        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            insertTasks(List.of(taskId));
            await().atMost(Duration.ofSeconds(30)).until(() -> !eventsFor(consumer, Set.of(taskId)).isEmpty());
        }
    }

    @Test
    void theSlotMovesOnWhileOnlyOtherTablesChange() {
        startRelay(RelayStatus.State.STREAMING, "--scheduler.relay.heartbeat-interval=200ms");
        UUID taskId = UUID.randomUUID();
        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            insertTasks(List.of(taskId));
            await().atMost(Duration.ofSeconds(30)).until(() -> !eventsFor(consumer, Set.of(taskId)).isEmpty());
        }

        // WAL without outbox rows: this update emits no event, so only the heartbeat can move the slot past it.
        db.sql("UPDATE tasks SET worker_id = 'wal-only' WHERE id = ?").param(taskId).update();
        String walPosition = db.sql("SELECT pg_current_wal_lsn()::text").query(String.class).single();

        await().atMost(Duration.ofSeconds(30)).until(() -> db.sql(
                        "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")
                .params(walPosition, SLOT).query(Boolean.class).single());
    }

    /** Logs the insert-to-consumer delay of 50 events, one at a time; informative, not asserted. */
    @Test
    void measuresTheInsertToKafkaDelay() throws SQLException {
        ConfigurableApplicationContext relay = startRelay();
        List<Long> delaysMicros = new ArrayList<>();
        SingleConnectionDataSource connection = new SingleConnectionDataSource(
                infrastructure.dataSource().getConnection(), true);
        JdbcClient insertDb = JdbcClient.create(connection);
        try (KafkaTestConsumer consumer = infrastructure.consumer(Topics.TASK_EVENTS)) {
            consumer.records(); // assign and read what is there, so each wait below sees only the new event
            for (int i = 0; i < 50; i++) {
                UUID taskId = UUID.randomUUID();
                long insertedAt = System.nanoTime();
                insertDb.sql("INSERT INTO tasks (id, type, payload, status, run_at) "
                        + "VALUES (?, 'noop', '{}', 'pending', now())").param(taskId).update();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                        .until(() -> !eventsFor(consumer, Set.of(taskId)).isEmpty());
                delaysMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - insertedAt));
            }
        } finally {
            connection.destroy();
        }
        delaysMicros.sort(null);
        Timer relayDelay = relay.getBean(MeterRegistry.class).get("outbox.relay.delay").timer();
        log.info("Insert-to-consumer delay over {} events: p50 {} ms, p90 {} ms, max {} ms; relay commit-to-ack "
                        + "mean {} ms, max {} ms", delaysMicros.size(), delaysMicros.get(24) / 1000.0,
                delaysMicros.get(44) / 1000.0, delaysMicros.get(49) / 1000.0,
                relayDelay.mean(TimeUnit.MILLISECONDS), relayDelay.max(TimeUnit.MILLISECONDS));
    }

    private ConfigurableApplicationContext startRelay() {
        return startRelay(RelayStatus.State.STREAMING);
    }

    /** Starts a relay and waits until it reaches {@code state}. */
    private ConfigurableApplicationContext startRelay(RelayStatus.State state, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(infrastructure.springArguments()));
        args.addAll(List.of(extraArgs));
        return startRelay(state, args);
    }

    /** Starts a relay with these infrastructure settings and waits until it reaches {@code state}. */
    private ConfigurableApplicationContext startRelay(RelayStatus.State state, List<String> settings) {
        List<String> args = new ArrayList<>(settings);
        args.add("--server.port=0");
        args.add("--management.server.port=0");
        args.add("--scheduler.relay.slot-name=" + SLOT);
        args.add("--scheduler.relay.offsets.topic=" + OFFSETS_TOPIC);
        args.add("--scheduler.relay.lock.check-interval=200ms");
        ConfigurableApplicationContext relay = OutboxRelayApplication.builder().run(args.toArray(String[]::new));
        relays.add(relay);
        await().atMost(STARTUP).until(() -> state(relay) == state);
        return relay;
    }

    /** The session holding the relay lock; -1 while there is none. */
    private long lockSessionPid() {
        return db.sql("SELECT pid FROM pg_stat_activity WHERE application_name = 'outbox-relay lock'")
                .query(Long.class).optional().orElse(-1L);
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }

    private static RelayStatus.State state(ConfigurableApplicationContext relay) {
        return relay.getBean(RelayStatus.class).state();
    }

    private static double gauge(ConfigurableApplicationContext relay, String name) {
        return relay.getBean(MeterRegistry.class).get(name).gauge().value();
    }

    private void insertTasks(List<UUID> taskIds) {
        for (UUID taskId : taskIds) {
            db.sql("INSERT INTO tasks (id, type, payload, status, run_at) VALUES (?, 'noop', '{}', 'pending', now())")
                    .param(taskId).update();
        }
    }

    private static List<ConsumedRecord> eventsFor(KafkaTestConsumer consumer, Set<UUID> taskIds) {
        Set<String> keys = taskIds.stream().map(UUID::toString).collect(Collectors.toSet());
        return consumer.records().stream().filter(record -> keys.contains(record.key())).toList();
    }

    private static Set<String> keys(List<ConsumedRecord> records) {
        return records.stream().map(ConsumedRecord::key).collect(Collectors.toSet());
    }

    /** GETs an actuator path from the relay's management port. */
    private static String get(ConfigurableApplicationContext relay, String path) throws IOException, InterruptedException {
        String port = relay.getEnvironment().getProperty("local.management.port");
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static void dropSlot(Infrastructure infrastructure) {
        JdbcClient.create(infrastructure.dataSource())
                .sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")
                .param(SLOT).query().listOfRows();
    }
}
