package dev.taskscheduler.api.openapi;

import dev.taskscheduler.api.security.ApiAccessRules;
import dev.taskscheduler.api.security.Scope;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.util.AntPathMatcher;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code GET /api/v1/openapi}, the contract clients are generated from.
 * springdoc derives paths and schemas from the controllers; this adds what it cannot know: the
 * project's version, the security schemes with each operation's scope (from {@link ApiAccessRules},
 * the same list the security filter chain is built from), the problem answers, and the schema
 * rules of {@link SchemaRules}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // springdoc would describe Jackson's tree classes as beans; the JSON they hold is free-form.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, SchemaRules.anyJson("Any JSON value."));
    }

    static final String API_KEY = "apiKey";
    static final String ACCESS_TOKEN = "accessToken";

    @Bean
    OpenAPI taskSchedulerOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "development" : properties.getVersion();
        return new OpenAPI()
                .info(new Info().title("Task Scheduler API").version(version)
                        .description("Submit tasks to run now or later, follow them, and manage recurring schedules,"
                                + " dead letters and API keys. Every error is an RFC 9457 problem"
                                + " (`application/problem+json`). The same submission is accepted on the Kafka"
                                + " topic `tasks.submissions`; its JSON Schema is `task-submission.schema.json`.")
                        .contact(new Contact().name("Task Scheduler maintainers").url("https://task-scheduler.dev"))
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .servers(List.of(new Server().url("http://localhost:8080")
                        .description("The dev launcher's default address; a deployment answers at its own.")))
                .tags(ApiTags.ALL)
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("tsk_…")
                                .description("An API key (`taskctl keys create`, `POST /api/v1/admin/keys`), sent as"
                                        + " `Authorization: Bearer tsk_…`; it holds the scopes it was created with."))
                        .addSecuritySchemes(ACCESS_TOKEN, accessTokens()));
    }

    /**
     * OAuth2 access tokens. OpenAPI 3.0 lists scopes only for OAuth2 flows, and a flow must name a
     * token URL; the issuer is the deployment's choice, so the URL here is a placeholder, said so.
     */
    private static SecurityScheme accessTokens() {
        Scopes scopes = new Scopes();
        for (Scope scope : Scope.values()) {
            scopes.addString(scope.value(), SCOPE_DESCRIPTIONS.get(scope));
        }
        return new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
                .description("An OAuth2 access token (JWT) of the issuer the deployment configures"
                        + " (`spring.security.oauth2.resourceserver.jwt.issuer-uri`), sent as"
                        + " `Authorization: Bearer <token>`; its `scope` claim holds the scopes. The token URL"
                        + " below stands for that issuer's token endpoint.")
                .flows(new OAuthFlows().clientCredentials(new OAuthFlow()
                        .tokenUrl("https://issuer.example/oauth2/token").scopes(scopes)));
    }

    private static final Map<Scope, String> SCOPE_DESCRIPTIONS = Map.of(
            Scope.TASKS_SUBMIT, "Submit tasks, alone or in batches.",
            Scope.TASKS_READ, "Read and list tasks with their payloads, attempts and results.",
            Scope.TASKS_MANAGE, "Cancel and reschedule tasks.",
            Scope.SCHEDULES_READ, "Read recurring schedules.",
            Scope.SCHEDULES_WRITE, "Create, change, pause, resume and delete recurring schedules.",
            Scope.DLQ_MANAGE, "List and replay dead letters.",
            Scope.ADMIN, "API keys, stuck-task reset, consumer lag, and every scope above.");

    /** The problem answers of {@link ProblemResponses} and the defaults every operation of its kind gives. */
    @Bean
    OperationCustomizer problemResponsesPerOperation() {
        return (operation, handler) -> {
            ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
            ProblemAnswers.add(operation, declared == null ? List.of() : List.of(declared.value()));
            return operation;
        };
    }

    @Bean
    OpenApiCustomizer contractRules() {
        return openApi -> {
            ProblemAnswers.addComponents(openApi.getComponents());
            SchemaRules.apply(openApi.getComponents().getSchemas());
            // Spring's ProblemDetail, which springdoc found in a batch result; the document's own is "Problem".
            openApi.getComponents().getSchemas().remove("ProblemDetail");
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> secure(path, method, operation)));
        };
    }

    private static final AntPathMatcher PATHS = new AntPathMatcher();

    /** Each operation needs its scope, by API key or by access token. */
    private static void secure(String path, PathItem.HttpMethod method, Operation operation) {
        ApiAccessRules.RULES.stream()
                .filter(rule -> rule.method() == null || rule.method().equals(HttpMethod.valueOf(method.name())))
                .filter(rule -> rule.pattern().equals(path) || PATHS.match(rule.pattern(), path))
                .findFirst()
                .ifPresent(rule -> {
                    if (rule.isPublic()) {
                        operation.setSecurity(List.of());
                    } else {
                        // An API key carries its scopes too, but OpenAPI 3.0 lists scopes for OAuth2 only:
                        // the description says which one the operation needs.
                        String scope = rule.scope().value();
                        operation.setSecurity(List.of(new SecurityRequirement().addList(API_KEY),
                                new SecurityRequirement().addList(ACCESS_TOKEN, scope)));
                        String needs = "Needs the scope `" + scope + "` (API key or access token).";
                        operation.setDescription(operation.getDescription() == null ? needs
                                : operation.getDescription() + " " + needs);
                    }
                });
    }
}
