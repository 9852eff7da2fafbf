package dev.taskscheduler.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.api.TestHttp;
import dev.taskscheduler.api.console.ConsoleAccessRules;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the application maps, taken from its own {@link RequestMappingHandlerMapping},
 * has a rule in {@link ApiAccessRules}, and the running server enforces it: no credentials 401,
 * every other scope 403, the rule's scope neither. An endpoint added without a rule fails here.
 */
@RealInfrastructure
class EndpointAccessTest {

    private static final Set<RequestMethod> ALL_METHODS = Set.of(RequestMethod.GET, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH);

    private static RunningApiServer api;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure);
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldHaveARuleForEveryMappedEndpointAndEnforceIt() {
        List<Endpoint> endpoints = mappedEndpoints();
        assertThat(endpoints).extracting(Endpoint::pattern).contains("/api/v1/tasks", "/api/v1/admin/keys");
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            ApiAccessRules.Rule rule = ruleFor(endpoint);
            if (rule == null) {
                failures.add(endpoint + ": no rule in ApiAccessRules");
                continue;
            }
            String url = api.baseUrl() + endpoint.pattern().replace("{id}", UUID.randomUUID().toString());
            String body = endpoint.method() == HttpMethod.POST || endpoint.method() == HttpMethod.PUT
                    ? "{\"dryRun\":true}" : null;
            int anonymous = TestHttp.send(endpoint.method().name(), url, null, body).statusCode();
            if (rule.isPublic()) {
                // Public: anything but a refusal (Spring's /error answers 500 when called directly).
                if (anonymous == 401 || anonymous == 403) {
                    failures.add(endpoint + " is public, but without credentials answered " + anonymous);
                }
                continue;
            }
            if (anonymous != 401) {
                failures.add(endpoint + " without credentials answered " + anonymous + ", not 401");
            }
            List<String> otherScopes = Arrays.stream(Scope.values())
                    .filter(scope -> scope != rule.scope() && scope != Scope.ADMIN).map(Scope::value).toList();
            int wrongScope = TestHttp.send(endpoint.method().name(), url, api.createKey(otherScopes, null), body)
                    .statusCode();
            if (wrongScope != 403) {
                failures.add(endpoint + " with every scope but " + rule.scope().value() + " answered " + wrongScope
                        + ", not 403");
            }
            HttpResponse<String> allowed = TestHttp.send(endpoint.method().name(), url,
                    api.createKey(List.of(rule.scope().value()), null), body);
            if (allowed.statusCode() == 401 || allowed.statusCode() == 403 || allowed.statusCode() >= 500) {
                failures.add(endpoint + " with scope " + rule.scope().value() + " answered " + allowed.statusCode()
                        + ": " + allowed.body());
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    void shouldRefuseAnyPathWithoutARule() {
        assertThat(TestHttp.send("GET", api.baseUrl() + "/api/v1/not-mapped", null, null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.send("GET", api.baseUrl() + "/api/v1/not-mapped", api.adminKey(), null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void shouldAnswerRefusalsAsProblemDetailsWithABearerChallenge() {
        HttpResponse<String> anonymous = TestHttp.send("GET", api.baseUrl() + "/api/v1/tasks", null, null);
        HttpResponse<String> forbidden = TestHttp.send("GET", api.baseUrl() + "/api/v1/tasks",
                api.createKey(List.of("tasks:submit"), null), null);

        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestHttp.json(anonymous).path("status").asInt()).isEqualTo(401);
        assertThat(TestHttp.json(forbidden).path("title").asString()).isEqualTo("Not allowed");
    }

    @Test
    void shouldKeepTheProbesOpenOnTheApiPortAndTheMetricsOnTheManagementPort() {
        assertThat(TestHttp.send("GET", api.baseUrl() + "/readyz", null, null).statusCode()).isEqualTo(200);
        assertThat(TestHttp.send("GET", api.baseUrl() + "/livez", null, null).statusCode()).isEqualTo(200);
        assertThat(TestHttp.send("GET", api.baseUrl() + "/actuator/prometheus", api.adminKey(), null).statusCode())
                .isNotEqualTo(200);
        assertThat(TestHttp.send("GET", api.managementUrl() + "/actuator/prometheus", null, null).body())
                .contains("api_requests_total");
    }

    private static ApiAccessRules.Rule ruleFor(Endpoint endpoint) {
        return ApiAccessRules.RULES.stream()
                .filter(rule -> rule.pattern().equals(endpoint.pattern())
                        && (rule.method() == null || rule.method().equals(endpoint.method())))
                .findFirst().orElse(null);
    }

    private static List<Endpoint> mappedEndpoints() {
        RequestMappingHandlerMapping mapping = api.context().getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods().isEmpty() ? ALL_METHODS
                    : info.getMethodsCondition().getMethods();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (pattern.equals(ConsoleAccessRules.ROOT) || pattern.startsWith(ConsoleAccessRules.ROOT + "/")) {
                    continue; // the console's pages have rules of their own: ConsoleAccessTest
                }
                for (RequestMethod method : methods) {
                    endpoints.add(new Endpoint(method.asHttpMethod(), pattern));
                }
            }
        }
        return endpoints;
    }

    private record Endpoint(HttpMethod method, String pattern) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }
}
