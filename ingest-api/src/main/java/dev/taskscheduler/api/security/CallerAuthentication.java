package dev.taskscheduler.api.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request: its principal is the {@link Caller}, its authorities the caller's scopes. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    public CallerAuthentication(Caller caller) {
        super(authorities(caller));
        this.caller = caller;
        setAuthenticated(true);
    }

    static List<GrantedAuthority> authorities(Caller caller) {
        return caller.scopes().stream().<GrantedAuthority>map(scope -> new SimpleGrantedAuthority(scope.authority()))
                .toList();
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return caller.name();
    }
}
