package dev.taskscheduler.faults.system;

import dev.taskscheduler.launcher.process.Part;

/** The connection of one service to one piece of infrastructure, carried by a {@code FaultProxy}. */
public record Link(Part service, Part dependency) {

    public String id() {
        return service.id() + "->" + dependency.id();
    }

    /** The broker listener that serves this service alone (Kafka links only). */
    String kafkaListenerName() {
        return service.name() + "_LINK";
    }
}
