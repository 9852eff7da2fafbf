package dev.taskscheduler.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.api.security.Scope;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every page and action of the console has a rule in {@link ConsoleAccessRules}, and the running
 * server enforces it: no session, the sign-in page; a session whose key lacks the scope, 403;
 * one that has it, neither; an action without the session's CSRF token, 403. The session cookie is
 * HttpOnly, SameSite=Strict and sent to the console only.
 */
@RealInfrastructure
class ConsoleAccessTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

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
    void shouldHaveARuleForEveryConsoleMapping() {
        RequestMappingHandlerMapping mapping = api.context().getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        List<String> consoleMappings = new ArrayList<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (pattern.startsWith(ConsoleAccessRules.ROOT)) {
                    info.getMethodsCondition().getMethods().forEach(method -> consoleMappings.add(method + " " + pattern));
                }
            }
        }

        assertThat(consoleMappings).contains("GET /console/overview", "POST /console/dead-letters/replay");
        assertThat(consoleMappings).allSatisfy(endpoint -> assertThat(ConsoleAccessRules.RULES).as(endpoint)
                .anySatisfy(rule -> assertThat(rule.method() + " " + rule.pattern()).isEqualTo(endpoint)));
    }

    @Test
    void shouldSendAVisitorWithoutASessionToTheSignIn() {
        Browser visitor = new Browser();
        for (ConsoleAccessRules.Rule rule : ConsoleAccessRules.RULES) {
            if (rule.open()) {
                continue;
            }
            HttpResponse<String> response = visitor.send(rule.method(), url(rule), true);
            assertThat(response.statusCode()).as(rule.toString()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(rule.toString())
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/console/login"));
        }
    }

    @Test
    void shouldGrantEachPageAndActionToItsScopeOnly() {
        List<String> failures = new ArrayList<>();
        for (ConsoleAccessRules.Rule rule : ConsoleAccessRules.RULES) {
            if (rule.open() || rule.scope() == null) {
                continue;
            }
            List<String> otherScopes = Arrays.stream(Scope.values())
                    .filter(scope -> scope != rule.scope() && scope != Scope.ADMIN).map(Scope::value).toList();
            int refused = Browser.signedIn(api.createKey(otherScopes, null)).send(rule.method(), url(rule), true)
                    .statusCode();
            if (refused != 403) {
                failures.add(rule + " with every other scope answered " + refused + ", not 403");
            }
            HttpResponse<String> allowed = Browser.signedIn(api.createKey(List.of(rule.scope().value()), null))
                    .send(rule.method(), url(rule), true);
            if (allowed.statusCode() == 401 || allowed.statusCode() == 403 || allowed.statusCode() >= 500) {
                failures.add(rule + " with its scope answered " + allowed.statusCode() + ": " + allowed.body());
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    void shouldRefuseAnActionWithoutTheSessionsCsrfToken() {
        Browser admin = Browser.signedIn(api.adminKey());
        String schedule = "/console/schedules/" + UUID.randomUUID() + "/pause";

        assertThat(admin.send(HttpMethod.POST, api.baseUrl() + schedule, false).statusCode()).isEqualTo(403);
        // With the token the same request gets as far as the schedule, which does not exist.
        assertThat(admin.send(HttpMethod.POST, api.baseUrl() + schedule, true).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldKeepTheSessionCookieFromScriptsOtherSitesAndTheApi() {
        HttpResponse<String> signIn = new Browser().signIn(api.adminKey());

        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("CONSOLE_SESSION=").contains("Path=/console", "HttpOnly", "SameSite=Strict"));
    }

    @Test
    void shouldNotSignInWithAnUnknownKey() {
        Browser visitor = new Browser();

        HttpResponse<String> refused = visitor.signIn("tsk_unknown");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(visitor.send(HttpMethod.GET, api.baseUrl() + "/console/overview", false).statusCode())
                .isEqualTo(302);
    }

    private static String url(ConsoleAccessRules.Rule rule) {
        return api.baseUrl() + rule.pattern().replace("{id}", UUID.randomUUID().toString());
    }

    /** A client with a cookie jar, as a browser signs in: the form's CSRF token, then the key. */
    private static final class Browser {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        static Browser signedIn(String key) {
            Browser browser = new Browser();
            assertThat(browser.signIn(key).statusCode()).isEqualTo(302);
            return browser;
        }

        HttpResponse<String> signIn(String key) {
            return post(api.baseUrl() + "/console/login", "apiKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + "&_csrf=" + token());
        }

        /** @param withToken whether a POST carries the session's CSRF token */
        HttpResponse<String> send(HttpMethod method, String url, boolean withToken) {
            if (method == HttpMethod.GET) {
                return exchange(HttpRequest.newBuilder(URI.create(url)).GET().build());
            }
            return post(url, withToken ? "_csrf=" + token() : "");
        }

        /** The CSRF token of this session, from the sign-in form (open to everyone). */
        private String token() {
            HttpResponse<String> page = exchange(HttpRequest.newBuilder(
                    URI.create(api.baseUrl() + "/console/login")).GET().build());
            Matcher matcher = CSRF.matcher(page.body());
            assertThat(matcher.find()).as("the sign-in form carries a CSRF token").isTrue();
            return URLEncoder.encode(matcher.group(1), StandardCharsets.UTF_8);
        }

        private HttpResponse<String> post(String url, String form) {
            return exchange(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }

        private HttpResponse<String> exchange(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
