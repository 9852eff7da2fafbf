package dev.taskscheduler.api.console;

import dev.taskscheduler.api.security.ApiKeyAuthenticator;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.security.Scope;
import dev.taskscheduler.api.security.SecurityProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own filter chain, in front of the API's: a server-side session signed in with an
 * API key (see {@link ConsoleSessions}), CSRF tokens on every action, a strict Content Security
 * Policy (scripts and styles from this origin only), and the scopes of {@link ConsoleAccessRules}.
 * The API's chain stays stateless and never reads the session cookie, which is sent to
 * {@code /console} only.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    ConsoleSessions consoleSessions(ApiKeyAuthenticator apiKeys) {
        return new ConsoleSessions(apiKeys);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleSessions sessions, SecurityProperties security)
            throws Exception {
        LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/console/login");
        http.securityMatcher(ConsoleAccessRules.ROOT, ConsoleAccessRules.ROOT + "/**", "/webjars/**")
                .securityContext(context -> context.securityContextRepository(sessions))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(errors -> errors
                        // A live part of a page whose session ended sends the whole page to the sign-in.
                        .authenticationEntryPoint((request, response, e) -> {
                            if (request.getHeader("HX-Request") != null) {
                                response.setHeader("HX-Redirect", "/console/login");
                                response.sendError(HttpStatus.UNAUTHORIZED.value());
                            } else {
                                login.commence(request, response, e);
                            }
                        })
                        .accessDeniedHandler(ConsoleSecurityConfiguration::refuse));
        if (!security.enabled()) {
            // Mirrors the API without authentication: anyone may do everything, CSRF tokens still apply.
            http.anonymous(anonymous -> anonymous.principal(Caller.UNAUTHENTICATED)
                    .authorities(AuthorityUtils.createAuthorityList(EnumSet.allOf(Scope.class).stream()
                            .map(Scope::authority).toArray(String[]::new))));
        }
        http.authorizeHttpRequests(requests -> {
            requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll();
            for (ConsoleAccessRules.Rule rule : ConsoleAccessRules.RULES) {
                var matched = requests.requestMatchers(rule.method(), rule.pattern());
                if (rule.open() || !security.enabled()) {
                    matched.permitAll();
                } else if (rule.scope() == null) {
                    matched.authenticated();
                } else {
                    matched.hasAuthority(rule.scope().authority());
                }
            }
            requests.anyRequest().denyAll();
        });
        return http.build();
    }

    /** A refused action or page: 403 with a short page that says why (a missing scope or CSRF token). */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String reason = e instanceof CsrfException
                ? "The form was not sent by this console or has expired. Reload the page and try again."
                : "The API key you signed in with does not grant the scope this needs.";
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Not allowed</title><link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>"
                + "<body><main class=\"narrow\"><h1>Not allowed</h1><p role=\"alert\">" + reason + "</p>"
                + "<p><a href=\"/console\">Back to the console</a></p></main></body></html>");
    }
}
