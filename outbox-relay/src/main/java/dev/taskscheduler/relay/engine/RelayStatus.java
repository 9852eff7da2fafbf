package dev.taskscheduler.relay.engine;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/** What this relay instance is doing right now, for logs, health and metrics. */
@Component
public class RelayStatus {

    /** Lifecycle of the relay instance. */
    public enum State {
        /** Not started, or stopped. */
        STOPPED,
        /** Waiting for the advisory lock: another instance is active. */
        STANDBY,
        /** Holds the lock; the engine is starting (offsets, slot, publication). */
        STARTING,
        /** Holds the lock; the engine streams the outbox to Kafka. */
        STREAMING,
        /** Holds the lock; the engine failed and restarts after a backoff. */
        RESTARTING
    }

    private record Snapshot(State state, String lastError) {
    }

    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(State.STOPPED, null));

    public State state() {
        return current.get().state();
    }

    /** Whether this instance holds the lock and so is the one relaying (or about to). */
    public boolean active() {
        State state = state();
        return state == State.STARTING || state == State.STREAMING || state == State.RESTARTING;
    }

    /** The last engine failure, kept until the engine streams again. */
    public String lastError() {
        return current.get().lastError();
    }

    void set(State state) {
        current.updateAndGet(previous -> new Snapshot(state, state == State.STREAMING ? null : previous.lastError()));
    }

    void failed(String error) {
        current.set(new Snapshot(State.RESTARTING, error));
    }
}
