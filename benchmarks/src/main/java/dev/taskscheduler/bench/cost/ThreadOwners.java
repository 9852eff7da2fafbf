package dev.taskscheduler.bench.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which part of the services' JVM a thread works for, told by its name. This is the one table to
 * extend when the services name new threads: the first matching row wins, so client threads named
 * after their client id ({@code kafka-producer-network-thread | outbox-relay}) come before the
 * broker's catch-all {@code kafka-}. {@code {api-server}} and the other service names in braces
 * stand for that service's HTTP port (Tomcat names its threads {@code http-nio-<port>-…}).
 * Threads no row matches are reported as "other", with their names, so the table can be completed.
 */
public final class ThreadOwners {

    public static final String API = "api-server";
    public static final String RELAY = "outbox-relay";
    public static final String SCHEDULER = "scheduler";
    public static final String WORKER = "worker";
    public static final String BROKER = "Kafka broker";
    public static final String REDIS_CLIENTS = "redis clients";
    public static final String JIT = "JIT compilers";
    public static final String JVM = "JVM";
    public static final String OTHER = "other";

    /** Every owner, in the order the cost tables list them. */
    public static final List<String> ALL = List.of(API, RELAY, SCHEDULER, WORKER, BROKER, REDIS_CLIENTS, JIT, JVM,
            OTHER);

    /** Thread name (a regular expression over the whole name) → owner. */
    private static final String[][] BY_NAME = {
        {"http-nio-{api-server}-.*", API},
        {"http-nio-{outbox-relay}-.*", RELAY},
        {"http-nio-{scheduler}-.*", SCHEDULER},
        {"http-nio-{worker}-.*", WORKER},
        // Kafka clients name their threads after the client id or consumer group.
        {".* \\| api-server.*", API},
        {".* \\| outbox-relay.*", RELAY},
        {".* \\| (scheduler|task-scheduler-timers).*", SCHEDULER},
        {".* \\| worker-.*", WORKER},
        {"KafkaBasedLog Work Thread - outbox-relay.*", RELAY},
        {"(kafka-producer-network-thread|kafka-coordinator-heartbeat-thread|kafka-admin-client-thread) \\| .*",
                OTHER},
        {"(submissions|api)-.*", API},
        {"consumer-lag-monitor.*", API},
        {"(outbox-relay|debezium|relay)-.*", RELAY},
        {"(scheduler|task-scheduler-timers)-.*", SCHEDULER},
        {".*StreamThread.*", SCHEDULER},
        // The worker's listener containers are pool-<pool>-<priority>-…; pool-<n>-thread-<m> is any executor.
        {"pool-(?!\\d+-thread-).*", WORKER},
        {"(worker|task-handler).*", WORKER},
        // Lettuce's event loops, and the status cache's writer thread, which serialises rows for them.
        {"lettuce-.*|task-cache-writer", REDIS_CLIENTS},
        {"(data-plane-kafka|kafka|quorum-controller|raft|controller|broker|group-coordinator|share-coordinator"
                + "|share-group|transaction-log-manager|executor|ExpirationReaper|TxnMarkerSenderThread"
                + "|AddPartitionsToTxnSenderThread|ReplicaFetcherThread|ReplicaAlterLogDirsThread|LogDirFailureHandler"
                + "|client-metrics-reaper|persister-state-manager|PersisterStateManager|SensorExpiryThread"
                + "|remote-log|RemoteLogManager)\\b.*", BROKER},
        // Compilation apart from the rest of the JVM: it fades once the hot paths are compiled.
        {"(C1 CompilerThread|C2 CompilerThread|Sweeper thread).*", JIT},
        {"(GC Thread|G1 |GC Conc|VM Thread|VM Periodic Task Thread"
                + "|Service Thread|Monitor Deflation Thread|Reference Handler|Finalizer"
                + "|Signal Dispatcher|Attach Listener|Notification Thread|Common-Cleaner|JFR |process reaper).*", JVM},
    };

    /**
     * For threads whose name says nothing (an unnamed executor's {@code pool-3-thread-1}): the
     * first stack frame of a known package → owner.
     */
    private static final String[][] BY_STACK = {
        {"io.debezium.", RELAY},
        {"dev.taskscheduler.relay.", RELAY},
        {"dev.taskscheduler.api.", API},
        {"dev.taskscheduler.scheduler.", SCHEDULER},
        {"org.apache.kafka.streams.", SCHEDULER},
        {"dev.taskscheduler.worker.", WORKER},
        {"kafka.", BROKER},
        {"org.apache.kafka.server.", BROKER},
        {"org.apache.kafka.controller.", BROKER},
        {"org.apache.kafka.raft.", BROKER},
        {"org.apache.kafka.coordinator.", BROKER},
        {"org.apache.kafka.storage.", BROKER},
    };

    private record Rule(Pattern pattern, String owner) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /**
     * @param servicePorts HTTP ports of each service by name (its service port and its management
     *                     port); rows of a service with no known port are left out
     */
    public ThreadOwners(Map<String, ? extends Collection<Integer>> servicePorts) {
        for (String[] row : BY_NAME) {
            List<String> regexes = List.of(row[0]);
            for (Map.Entry<String, ? extends Collection<Integer>> ports : servicePorts.entrySet()) {
                String placeholder = "{" + ports.getKey() + "}";
                regexes = regexes.stream().flatMap(regex -> regex.contains(placeholder)
                        ? ports.getValue().stream().map(port -> regex.replace(placeholder, Integer.toString(port)))
                        : java.util.stream.Stream.of(regex)).toList();
            }
            for (String regex : regexes) {
                if (!regex.contains("{")) {
                    rules.add(new Rule(Pattern.compile(regex), row[1]));
                }
            }
        }
    }

    /** The owner of a thread, or null when no row of the tables matches it. */
    public String ownerOf(String threadName, List<String> stackClasses) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(threadName).matches()) {
                return rule.owner();
            }
        }
        for (String frame : stackClasses) {
            for (String[] row : BY_STACK) {
                if (frame.startsWith(row[0])) {
                    return row[1];
                }
            }
        }
        return null;
    }

    /** A thread name with its numbers replaced, so the threads of one pool add up in the "other" list. */
    public static String family(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }
}
