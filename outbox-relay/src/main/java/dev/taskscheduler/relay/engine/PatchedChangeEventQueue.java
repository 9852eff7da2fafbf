package dev.taskscheduler.relay.engine;

import java.net.URL;
import java.security.CodeSource;
import java.util.Optional;

import io.debezium.connector.base.ChangeEventQueue;

/**
 * The relay carries a patched copy of Debezium's {@link ChangeEventQueue} (its poll no longer spins through the last
 * millisecond of every poll interval, and sleeps while nothing is queued). The copy only takes effect when it is
 * loaded instead of Debezium's, which depends on the class path order; this tells whether it was.
 */
final class PatchedChangeEventQueue {

    private PatchedChangeEventQueue() {
    }

    /** Whether the loaded {@code ChangeEventQueue} comes from the relay's own classes rather than Debezium's jar. */
    static boolean isLoaded() {
        Optional<URL> queue = location(ChangeEventQueue.class);
        return queue.isPresent() && queue.equals(location(PatchedChangeEventQueue.class));
    }

    static String loadedFrom() {
        return location(ChangeEventQueue.class).map(URL::toString).orElse("an unknown location");
    }

    private static Optional<URL> location(Class<?> type) {
        return Optional.ofNullable(type.getProtectionDomain().getCodeSource()).map(CodeSource::getLocation);
    }
}
