package dev.taskscheduler.launcher.process;

import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.localinfra.LocalKafka;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * How the process mode runs the system. Every port is concrete (the launcher picks free ones for
 * 0 before it builds these settings).
 *
 * @param endpoints      per service, where it finds Kafka, PostgreSQL and Redis; a service not in
 *                       the map talks to them directly
 * @param kafkaListeners further broker listeners (for proxies in front of single services)
 * @param serviceArgs    further {@code --key=value} arguments per service; {@code "*"} for all
 * @param jvmOptions     options of every child JVM
 */
public record ProcessModeSettings(
        Path dataDir,
        int kafkaPort,
        int postgresPort,
        int redisPort,
        Map<Part, Integer> servicePorts,
        Map<Part, Integer> managementPorts,
        Map<Part, InfrastructureEndpoints> endpoints,
        List<LocalKafka.ExtraListener> kafkaListeners,
        Map<String, List<String>> serviceArgs,
        List<String> jvmOptions) {

    private static final List<Part> SERVICES = List.of(Part.API_SERVER, Part.OUTBOX_RELAY, Part.SCHEDULER, Part.WORKER);

    /** Enough for any service of this system; Kafka Streams' RocksDB lives outside the heap. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx768m", "-XX:+UseSerialGC");

    public ProcessModeSettings {
        servicePorts = Map.copyOf(servicePorts);
        managementPorts = Map.copyOf(managementPorts);
        endpoints = Map.copyOf(endpoints);
        kafkaListeners = List.copyOf(kafkaListeners);
        serviceArgs = Map.copyOf(serviceArgs);
        jvmOptions = List.copyOf(jvmOptions);
    }

    public int port(Part service) {
        return servicePorts.get(service);
    }

    public int managementPort(Part service) {
        return managementPorts.get(service);
    }

    /** The four services on {@code apiPort} and the three after it, or on free ports when it is 0. */
    public static Map<Part, Integer> servicePorts(int apiPort, IntSupplier freePort) {
        Map<Part, Integer> ports = new EnumMap<>(Part.class);
        for (int i = 0; i < SERVICES.size(); i++) {
            ports.put(SERVICES.get(i), apiPort == 0 ? freePort.getAsInt() : apiPort + i);
        }
        return ports;
    }

    /** Management ports {@code offset} above the service ports, or free ones when {@code offset} is 0. */
    public static Map<Part, Integer> managementPorts(Map<Part, Integer> servicePorts, int offset, IntSupplier freePort) {
        Map<Part, Integer> ports = new EnumMap<>(Part.class);
        servicePorts.forEach((part, port) -> ports.put(part, offset == 0 ? freePort.getAsInt() : port + offset));
        return ports;
    }

    /** Where services without an entry in {@link #endpoints()} find the infrastructure. */
    public InfrastructureEndpoints directEndpoints() {
        return new InfrastructureEndpoints("localhost:" + kafkaPort,
                "jdbc:postgresql://localhost:" + postgresPort + "/taskdb", "taskuser", "taskpass",
                "redis://localhost:" + redisPort);
    }
}
