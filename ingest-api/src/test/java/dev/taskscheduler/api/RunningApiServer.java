package dev.taskscheduler.api;

import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.api.security.NewApiKey;
import dev.taskscheduler.testsupport.Infrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An api-server on the shared test infrastructure, on free ports, for the tests of this module,
 * with an admin API key of its own for the requests of the tests.
 */
public final class RunningApiServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String adminKey;

    private RunningApiServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.adminKey = createKey(List.of("admin"), null);
    }

    /** @param extraArgs further {@code --key=value} settings */
    public static RunningApiServer start(Infrastructure infrastructure, String... extraArgs) {
        String[] args = Stream.of(infrastructure.springArguments(),
                        new String[] {"--server.port=0", "--management.server.port=0", "--spring.main.banner-mode=off"},
                        extraArgs)
                .flatMap(Stream::of)
                .toArray(String[]::new);
        return new RunningApiServer(IngestApiApplication.builder().run(args));
    }

    public String baseUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Where the actuator is: metrics and health details. */
    public String managementUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.management.port");
    }

    /** A key with every scope. */
    public String adminKey() {
        return adminKey;
    }

    /**
     * Creates a key with these scopes, reaching only {@code taskTypes} unless null; returns the
     * secret.
     */
    public String createKey(List<String> scopes, List<String> taskTypes) {
        return context.getBean(ApiKeyService.class).create(new NewApiKey("test-" + UUID.randomUUID(), scopes,
                taskTypes, null, null), "test-setup").key();
    }

    /** A request to {@code path} with the admin key. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + adminKey);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
