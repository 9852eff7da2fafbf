package dev.taskscheduler.api.console;

import dev.taskscheduler.api.security.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in to the console with an API key, and out again. */
@Controller
class ConsoleLoginController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleLoginController.class);

    private final ConsoleSessions sessions;
    private final SecurityProperties security;

    ConsoleLoginController(ConsoleSessions sessions, SecurityProperties security) {
        this.sessions = sessions;
        this.security = security;
    }

    @GetMapping("/console")
    String home() {
        return "redirect:/console/overview";
    }

    @GetMapping("/console/login")
    String loginPage() {
        return security.enabled() ? "console/login" : "redirect:/console/overview";
    }

    @PostMapping("/console/login")
    String login(@RequestParam(name = "apiKey", required = false) String apiKey, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        try {
            Authentication signedIn = sessions.signIn(request, apiKey);
            log.info("Console sign-in by {}", signedIn.getName());
            return "redirect:/console/overview";
        } catch (AuthenticationException e) {
            // One message for every refusal: which part of a key was wrong is no one's business.
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("error", "This key does not sign in: it is unknown, mistyped, expired or revoked.");
            return "console/login";
        }
    }

    @PostMapping("/console/logout")
    String logout(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/console/login?signedOut";
    }
}
