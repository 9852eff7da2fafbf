package dev.taskscheduler.launcher.testing;

import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.launcher.ServicePorts;
import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.testsupport.Infrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The whole system started on the tests' shared infrastructure, on free ports. */
public final class TestSystems {

    private TestSystems() {
    }

    public static InfrastructureEndpoints endpointsOf(Infrastructure infrastructure) {
        return new InfrastructureEndpoints(infrastructure.kafkaBootstrapServers(), infrastructure.jdbcUrl(),
                infrastructure.jdbcUsername(), infrastructure.jdbcPassword(), infrastructure.redisUrl());
    }

    public static TaskSchedulerSystem start(Infrastructure infrastructure, Path stateDir, String... args) {
        return TaskSchedulerSystem.start(endpointsOf(infrastructure), ServicePorts.random(), stateDir, args);
    }

    /** A client of the system's API with an admin key of its own. */
    public static SystemTestClient client(TaskSchedulerSystem system, Infrastructure infrastructure) {
        return new SystemTestClient(system.apiUrl(), adminKey(system), JdbcClient.create(infrastructure.dataSource()));
    }

    /** A new key with every scope. */
    public static String adminKey(TaskSchedulerSystem system) {
        return system.createApiKey("test-admin-" + UUID.randomUUID(), List.of("admin"), null, Duration.ofDays(1));
    }
}
