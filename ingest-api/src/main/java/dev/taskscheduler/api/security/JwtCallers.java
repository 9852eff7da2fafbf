package dev.taskscheduler.api.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * Turns a verified OAuth2 access token into a {@link Caller}: its scopes from the {@code scope} or
 * {@code scp} claim (scopes this API does not know are ignored), its name and reachable task
 * types from the configured claims.
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {

    private final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
    private final SecurityProperties.OAuth2 settings;

    JwtCallers(SecurityProperties.OAuth2 settings) {
        this.settings = settings;
        scopes.setAuthorityPrefix("");
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Collection<GrantedAuthority> granted = scopes.convert(jwt);
        Set<Scope> known = granted.stream().map(GrantedAuthority::getAuthority).map(Scope::fromValue)
                .flatMap(java.util.Optional::stream)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        String name = jwt.getClaimAsString(settings.principalClaim());
        if (name == null || name.isBlank()) {
            throw new BadCredentialsException("The token has no " + settings.principalClaim() + " claim");
        }
        List<String> types = jwt.hasClaim(settings.taskTypesClaim())
                ? jwt.getClaimAsStringList(settings.taskTypesClaim()) : null;
        return new CallerAuthentication(new Caller(name, known, types == null ? null : Set.copyOf(types)));
    }
}
