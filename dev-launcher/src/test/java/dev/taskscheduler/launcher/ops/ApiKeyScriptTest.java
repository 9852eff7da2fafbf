package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.security.ApiKeyAuthenticator;
import dev.taskscheduler.api.security.ApiKeyFormat;
import dev.taskscheduler.api.security.ApiKeyRepository;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.security.Scope;
import dev.taskscheduler.api.security.SecurityProperties;
import dev.taskscheduler.launcher.ops.OpsScript.Result;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first admin key of an installation, made by {@code ops/scripts/create-api-key.sh} straight in
 * PostgreSQL: the api-server's own authenticator accepts it, and only its hash is stored.
 */
@RealInfrastructure
class ApiKeyScriptTest {

    private final Infrastructure infrastructure;
    private ScratchDatabase database;

    @TempDir
    Path folder;

    ApiKeyScriptTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    @BeforeEach
    void createDatabase() {
        database = ScratchDatabase.createWithSchema(infrastructure, "keys");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void shouldCreateAKeyTheApiServerAcceptsAndKeepOnlyItsHash() throws Exception {
        Path file = folder.resolve("first-admin.key");

        Result created = script("--name", "first-admin", "--output", file.toString());

        assertThat(created.exitCode()).as(created.toString()).isZero();
        String key = Files.readString(file).trim();
        assertThat(created.stdout() + created.stderr()).doesNotContain(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
        Caller caller = (Caller) authenticator().authenticate(key).getPrincipal();
        assertThat(caller.name()).isEqualTo("key:first-admin");
        assertThat(caller.has(Scope.ADMIN)).isTrue();
        assertThat(database.db().sql("SELECT count(*) FROM api_keys WHERE key_hash = sha256(convert_to(?, 'UTF8'))")
                .param(key).query(Long.class).single()).isEqualTo(1);
        assertThat(database.db().sql("SELECT action FROM audit_events").query(String.class).list())
                .containsExactly("api-key.created");
    }

    @Test
    void shouldGiveOnlyTheScopesAskedForAndRefuseAnExistingFileOrName() {
        Path file = folder.resolve("reader.key");
        assertThat(script("--name", "reader", "--scope", "tasks:read", "--output", file.toString()).exitCode())
                .isZero();

        Result sameFile = script("--name", "other", "--output", file.toString());
        Result sameName = script("--name", "reader", "--output", folder.resolve("again.key").toString());
        Result badScope = script("--name", "x", "--scope", "tasks:everything", "--output", folder.resolve("x").toString());

        assertThat(database.db().sql("SELECT scopes::text FROM api_keys WHERE name = 'reader'").query(String.class)
                .single()).isEqualTo("{tasks:read}");
        assertThat(sameFile.exitCode()).isEqualTo(4);
        assertThat(sameName.exitCode()).isEqualTo(1);
        assertThat(Files.exists(folder.resolve("again.key"))).isFalse();
        assertThat(badScope.exitCode()).isEqualTo(2);
        assertThat(badScope.stderr()).contains("unknown scope 'tasks:everything'");
    }

    private ApiKeyAuthenticator authenticator() {
        return new ApiKeyAuthenticator(new ApiKeyRepository(database.db()), new SecurityProperties(true,
                new SecurityProperties.ApiKeys(Duration.ofSeconds(15), 100, Duration.ofDays(90), Duration.ofDays(730)),
                new SecurityProperties.OAuth2("sub", "task_types")));
    }

    private Result script(String... args) {
        return OpsScript.of("create-api-key.sh").postgres(database.login()).run(args);
    }
}
