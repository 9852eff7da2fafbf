package dev.taskscheduler.worker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.liveness.WorkerHeartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis users of the deployment ({@code deploy/base/redis/service-users.acl}) on a real Redis:
 * the api-server and the workers can do what they do with them (status cache, heartbeats, shared
 * limits), and nothing else.
 */
@RealInfrastructure
class RedisServiceUsersTest {

    private static final Path ACL_FILE = Path.of("..", "deploy", "base", "redis", "service-users.acl");
    private static final String PASSWORD = "acl-test-" + UUID.randomUUID();
    private static final List<LettuceConnectionFactory> FACTORIES = new ArrayList<>();
    private static StringRedisTemplate apiServer;
    private static StringRedisTemplate worker;

    @BeforeAll
    static void createUsers(Infrastructure infrastructure) throws IOException {
        StringRedisTemplate admin = template(infrastructure, null);
        for (String line : Files.readAllLines(ACL_FILE)) {
            if (line.startsWith("user ")) {
                // "user NAME …" is the config file's form of "ACL SETUSER NAME …".
                List<String> rule = new ArrayList<>(List.of("SETUSER"));
                rule.addAll(Arrays.asList(line.replaceAll(">@[A-Z_]+@", ">" + PASSWORD).split(" ")).subList(1,
                        line.split(" ").length));
                admin.execute(connection -> connection.execute("ACL", rule.stream()
                        .map(String::getBytes).toArray(byte[][]::new)), true);
            }
        }
        apiServer = template(infrastructure, "api-server");
        worker = template(infrastructure, "worker");
    }

    @AfterAll
    static void close() {
        FACTORIES.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void shouldLetBothServicesUseTheStatusCache() {
        StoredTask task = task();

        new TaskStatusCache(apiServer, Duration.ofMinutes(1)).put(task);

        assertThat(new TaskStatusCache(worker, Duration.ofMinutes(1)).get(task.id()))
                .hasValueSatisfying(cached -> assertThat(cached.id()).isEqualTo(task.id()));
    }

    @Test
    void shouldLetTheWorkerKeepHeartbeatsAndSharedLimits() {
        String heartbeat = WorkerHeartbeat.keyOf("acl-test-" + UUID.randomUUID());
        worker.opsForValue().set(heartbeat, "1", Duration.ofSeconds(10));
        assertThat(worker.hasKey(heartbeat)).isTrue();
        assertThat(worker.delete(heartbeat)).isTrue();

        String type = "acl-limited-" + UUID.randomUUID();
        TaskTypeLimiter limiter = new TaskTypeLimiter(worker, Map.of(type, new WorkerProperties.Limit(1, 0)),
                "acl-test-worker", Duration.ofSeconds(30), Clock.systemUTC());
        TaskTypeLimiter.Permit first = limiter.tryAcquire(type, UUID.randomUUID());
        TaskTypeLimiter.Permit second = limiter.tryAcquire(type, UUID.randomUUID());

        assertThat(first).isNotNull();
        assertThat(second).as("the limit of one is taken").isNull();
        limiter.release(first);
        assertThat(limiter.tryAcquire(type, UUID.randomUUID())).isNotNull();
    }

    @Test
    void shouldRefuseEverythingElse() {
        assertThatThrownBy(() -> apiServer.opsForValue().set(WorkerHeartbeat.keyOf("forged"), "1"))
                .rootCause().hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> apiServer.opsForValue().get("limit:running:x")).rootCause()
                .hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> worker.opsForValue().set("other:key", "1")).rootCause()
                .hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> worker.keys("*")).rootCause().hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> worker.execute(connection -> {
            connection.serverCommands().flushAll();
            return null;
        }, true)).rootCause().hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> apiServer.execute(connection -> connection.serverCommands().getConfig("*"), true))
                .rootCause().hasMessageContaining("NOPERM");
    }

    private static StoredTask task() {
        Instant now = Instant.now();
        return new StoredTask(UUID.randomUUID(), "acl-test", "{}", TaskStatus.PENDING, now, 0, 3, null, now, now, null,
                null, null, null, null, "fingerprint", Duration.ofMinutes(5), RetryPolicy.defaults(), 0,
                TaskPriority.NORMAL);
    }

    private static StringRedisTemplate template(Infrastructure infrastructure, String user) {
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(infrastructure.redisHost(),
                infrastructure.redisPort());
        if (user != null) {
            config.setUsername(user);
            config.setPassword(PASSWORD);
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(config);
        factory.afterPropertiesSet();
        factory.start();
        FACTORIES.add(factory);
        return new StringRedisTemplate(factory);
    }
}
