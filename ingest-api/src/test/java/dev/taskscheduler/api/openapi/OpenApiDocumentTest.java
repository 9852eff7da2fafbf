package dev.taskscheduler.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;

/**
 * The committed {@code openapi.json}, from which the contract test's client is generated at build
 * time, is the document the running api-server serves. After a change of the API, refresh it with
 * {@code OPENAPI_SNAPSHOT_UPDATE=true ./mvnw -pl ingest-api -am verify -Dtest=OpenApiDocumentTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, and review its diff.
 */
@RealInfrastructure
class OpenApiDocumentTest {

    static final Path SNAPSHOT = Path.of("openapi.json");

    private static RunningApiServer api;

    @BeforeAll
    static void start() {
        api = RunningApiServer.start(Infrastructure.shared());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theCommittedDocumentIsTheOneTheApiServes() throws Exception {
        JsonNode live = live();
        if ("true".equals(System.getenv("OPENAPI_SNAPSHOT_UPDATE"))) {
            Files.writeString(SNAPSHOT, Json.mapper().writer(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(live) + "\n");
        }

        assertThat(live)
                .as("the live document differs from %s: refresh it (see this test's comment)", SNAPSHOT.toAbsolutePath())
                .isEqualTo(Json.mapper().readTree(Files.readString(SNAPSHOT)));
    }

    @Test
    void theDocumentStatesTheProjectsVersionAndNamesEveryOperation() throws Exception {
        JsonNode live = live();

        assertThat(live.path("info").path("version").asString()).isNotBlank().isNotEqualTo("v0");
        live.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                assertThat(operation.getValue().path("operationId").asString())
                        .as("operationId of %s %s", operation.getKey(), path.getKey())
                        .matches("[a-z][A-Za-z]+").doesNotMatch(".*\\d.*")));
    }

    private static JsonNode live() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/openapi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
