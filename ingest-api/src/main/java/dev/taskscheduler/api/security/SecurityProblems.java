package dev.taskscheduler.api.security;

import dev.taskscheduler.api.rest.Problems;
import dev.taskscheduler.model.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * 401, 403 and the firewall's 400 as RFC 9457 problem details, like every other refusal of the API;
 * the {@code WWW-Authenticate} header is the one RFC 6750 asks for.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        challenge.commence(request, response, e);
        String detail = request.getHeader("Authorization") == null
                ? "Send an API key or an OAuth2 access token: Authorization: Bearer <token>"
                : e.getMessage();
        write(response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                "The credentials do not grant the scope this request needs"));
    }

    /** The firewall's reason names the rule the request broke, never anything of the server's. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(response, Problems.problem(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected",
                e.getMessage()));
    }

    private static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(Json.write(problem).getBytes(StandardCharsets.UTF_8));
    }
}
