package dev.taskscheduler.api.console;

import dev.taskscheduler.api.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's layout needs: who is signed in, the current path, time formatting. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    private static final Times TIMES = new Times();

    private final ConsoleProperties properties;

    ConsoleModel(ConsoleProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("user")
    ConsoleUser user(@AuthenticationPrincipal Caller caller) {
        return caller == null ? null : ConsoleUser.of(caller);
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI();
    }

    @ModelAttribute("times")
    Times times() {
        return TIMES;
    }

    /** Seconds between reads of a page's live part, for htmx's {@code every Ns} trigger. */
    @ModelAttribute("refresh")
    String refresh() {
        return "every " + Math.max(1, properties.refreshInterval().toSeconds()) + "s";
    }
}
