package dev.taskscheduler.api.security;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every request of the API is authenticated with a bearer token, an API key ({@code tsk_…}) or,
 * when an issuer is configured, an OAuth2 access token (JWT), and authorized by
 * {@link ApiAccessRules}. Stateless: no session, no cookie, hence no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * No observation around each security filter, authentication and authorization: they cost a
     * good share of a small request's CPU, and {@code http.server.requests} times the whole request
     * already.
     */
    @Bean
    SecurityObservationSettings noSecurityFilterObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * A request the firewall refuses (an encoded line break or slash in the path, say) is
     * answered as a 400 problem like every other bad request; by default it would go to the servlet
     * container's error page, which answers in another format.
     */
    @Bean
    RequestRejectedHandler rejectedRequestProblems() {
        return new SecurityProblems();
    }

    /**
     * Spring Security's strict firewall with its defaults, except that headers and parameter names
     * are checked by {@link HeaderText}: the same rule without a regular expression per header read.
     */
    @Bean
    HttpFirewall strictFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderText.NAMES);
        firewall.setAllowedHeaderValues(HeaderText.VALUES);
        firewall.setAllowedParameterNames(HeaderText.NAMES);
        return firewall;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, ApiKeyAuthenticator apiKeys,
            ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        SecurityProblems problems = new SecurityProblems();
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        if (!properties.enabled()) {
            log.warn("AUTHENTICATION IS OFF (scheduler.security.enabled=false): anyone who reaches this API may "
                    + "submit, read, cancel and replay every task and manage its keys");
            return http.anonymous(anonymous -> anonymous.principal(Caller.UNAUTHENTICATED)
                            .authorities(AuthorityUtils.createAuthorityList(EnumSet.allOf(Scope.class).stream()
                                    .map(Scope::authority).toArray(String[]::new))))
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .build();
        }
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        AuthenticationManager tokens = bearerTokens(apiKeys, decoder, properties.oauth2());
        log.info("API authentication: API keys{}", decoder == null ? "" : " and OAuth2 access tokens");
        http.oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationManagerResolver(request -> tokens)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .authorizeHttpRequests(requests -> {
                    // Error dispatches render the error of a request that was already authorized.
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    for (ApiAccessRules.Rule rule : ApiAccessRules.RULES) {
                        var matched = rule.method() == null ? requests.requestMatchers(rule.pattern())
                                : requests.requestMatchers(rule.method(), rule.pattern());
                        if (rule.isPublic()) {
                            matched.permitAll();
                        } else {
                            matched.hasAuthority(rule.scope().authority());
                        }
                    }
                    requests.anyRequest().denyAll();
                });
        return http.build();
    }

    /** API keys by their prefix; anything else is an OAuth2 token, if an issuer is configured. */
    private static AuthenticationManager bearerTokens(ApiKeyAuthenticator apiKeys, JwtDecoder decoder,
            SecurityProperties.OAuth2 oauth2) {
        JwtAuthenticationProvider jwt = null;
        if (decoder != null) {
            jwt = new JwtAuthenticationProvider(decoder);
            jwt.setJwtAuthenticationConverter(new JwtCallers(oauth2));
        }
        JwtAuthenticationProvider jwtTokens = jwt;
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            if (ApiKeyFormat.looksLikeKey(token)) {
                return apiKeys.authenticate(token);
            }
            if (jwtTokens == null) {
                throw new BadCredentialsException("The token is not an API key, and OAuth2 tokens are not enabled");
            }
            return jwtTokens.authenticate(authentication);
        };
    }
}
