package dev.taskscheduler.relay.engine;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.connector.postgresql.PostgresStreamingChangeEventSource;

/**
 * The relay carries patched copies of two Debezium classes: {@link ChangeEventQueue} (its poll no longer spins through
 * the last millisecond of every poll interval, and sleeps while nothing is queued) and
 * {@link PostgresStreamingChangeEventSource} (its loop waits on the replication socket instead of polling it). A copy
 * only takes effect when it is loaded instead of Debezium's, which depends on the class path order; this tells
 * whether each was.
 */
final class PatchedDebeziumClasses {

    static final List<Class<?>> PATCHED = List.of(ChangeEventQueue.class, PostgresStreamingChangeEventSource.class);

    private PatchedDebeziumClasses() {
    }

    /** The patched classes that were loaded from somewhere else than the relay's own classes (Debezium's jars). */
    static List<Class<?>> notLoaded() {
        Optional<URL> relay = location(PatchedDebeziumClasses.class);
        return PATCHED.stream().filter(type -> relay.isEmpty() || !relay.equals(location(type))).toList();
    }

    static String loadedFrom(Class<?> type) {
        return location(type).map(URL::toString).orElse("an unknown location");
    }

    private static Optional<URL> location(Class<?> type) {
        return Optional.ofNullable(type.getProtectionDomain().getCodeSource()).map(CodeSource::getLocation);
    }
}
