package dev.taskscheduler.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The table that tells which service a thread of the services' JVM works for. */
class ThreadOwnersTest {

    private final ThreadOwners owners = new ThreadOwners(Map.of("api-server", List.of(18480, 18490),
            "outbox-relay", List.of(18481), "scheduler", List.of(18482), "worker", List.of(18483)));

    /** Thread names seen in the dev launcher's JVM, with the part they belong to. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "http-nio-18480-exec-12; api-server",
        "http-nio-18490-exec-3; api-server",
        "http-nio-18480-Poller; api-server",
        "submissions-0-C-1; api-server",
        "consumer-lag-monitor; api-server",
        "kafka-coordinator-heartbeat-thread | api-server-submissions; api-server",
        "kafka-admin-client-thread | api-server-lag-admin; api-server",
        "http-nio-18481-exec-1; outbox-relay",
        "outbox-relay-engine; outbox-relay",
        "debezium-postgresconnector-task_outbox_slot-change-event-source-coordinator; outbox-relay",
        "kafka-producer-network-thread | outbox-relay; outbox-relay",
        "KafkaBasedLog Work Thread - outbox-relay.offsets; outbox-relay",
        "http-nio-18482-exec-3; scheduler",
        "scheduler-StreamThread-1; scheduler",
        "kafka-producer-network-thread | scheduler-StreamThread-1-producer; scheduler",
        "kafka-coordinator-heartbeat-thread | task-scheduler-timers; scheduler",
        "http-nio-18483-exec-2; worker",
        "pool-default-normal-0-C-1; worker",
        "task-handler; worker",
        "worker-heartbeat; worker",
        "worker-claim-3; worker",
        "kafka-coordinator-heartbeat-thread | worker-default; worker",
        "data-plane-kafka-request-handler-7; Kafka broker",
        "kafka-scheduler-3; Kafka broker",
        "kafka-1-raft-io-thread; Kafka broker",
        "quorum-controller-1-event-handler; Kafka broker",
        "group-coordinator-event-processor-2; Kafka broker",
        "TxnMarkerSenderThread-1; Kafka broker",
        "ExpirationReaper-1-Produce; Kafka broker",
        "lettuce-nioEventLoop-4-1; redis clients",
        "task-cache-writer; redis clients",
        "GC Thread#1; JVM",
        "G1 Refine#0; JVM",
        "C2 CompilerThread0; JIT compilers",
        "VM Thread; JVM",
    })
    void knownThreadNamesBelongToTheirService(String thread, String owner) {
        assertThat(owners.ownerOf(thread, List.of())).isEqualTo(owner);
    }

    @Test
    void anUnnamedPoolThreadIsToldByItsStack() {
        assertThat(owners.ownerOf("pool-10-thread-1", List.of("jdk.internal.misc.Unsafe",
                "io.debezium.connector.base.ChangeEventQueue"))).isEqualTo(ThreadOwners.RELAY);
        assertThat(owners.ownerOf("pool-11-thread-1", List.of("java.util.concurrent.ThreadPoolExecutor"))).isNull();
    }

    @Test
    void anUnknownKafkaClientIsNotTakenForTheBroker() {
        assertThat(owners.ownerOf("kafka-producer-network-thread | somebody-else", List.of()))
                .isEqualTo(ThreadOwners.OTHER);
    }

    @Test
    void tomcatThreadsOfAServiceWithoutAKnownPortAreLeftUnmatched() {
        ThreadOwners withoutPorts = new ThreadOwners(Map.of());

        assertThat(withoutPorts.ownerOf("http-nio-18480-exec-1", List.of())).isNull();
    }

    @Test
    void familiesAddUpThePoolsOfOneName() {
        assertThat(ThreadOwners.family("HikariPool-12:housekeeper")).isEqualTo("HikariPool-N:housekeeper");
    }
}
