package dev.taskscheduler.api.console;

import dev.taskscheduler.api.rest.TaskNotFoundException;
import dev.taskscheduler.api.rest.TaskStateConflictException;
import dev.taskscheduler.api.schedule.ScheduleNotFoundException;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors of console pages as pages (the API's problem details are for programs): what went wrong
 * and the status that says so, never a stack trace. Ahead of the API's handler, for console
 * controllers only.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    @ExceptionHandler({TaskNotFoundException.class, ScheduleNotFoundException.class})
    String notFound(RuntimeException e, Model model, HttpServletResponse response) {
        return problem(HttpStatus.NOT_FOUND, "Not found", List.of(e.getMessage()), model, response);
    }

    @ExceptionHandler(InvalidSubmissionException.class)
    String invalid(InvalidSubmissionException e, Model model, HttpServletResponse response) {
        return problem(HttpStatus.BAD_REQUEST, "Check the request",
                e.violations().stream().map(FieldViolation::toString).toList(), model, response);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String malformed(MethodArgumentTypeMismatchException e, Model model, HttpServletResponse response) {
        return problem(HttpStatus.BAD_REQUEST, "Check the request",
                List.of("'" + e.getName() + "' is not valid here"), model, response);
    }

    @ExceptionHandler(TaskStateConflictException.class)
    String conflict(TaskStateConflictException e, Model model, HttpServletResponse response) {
        return problem(HttpStatus.CONFLICT, "Not possible now", List.of(e.getMessage()), model, response);
    }

    @ExceptionHandler(TaskTypeNotAllowedException.class)
    String notAllowed(TaskTypeNotAllowedException e, Model model, HttpServletResponse response) {
        return problem(HttpStatus.FORBIDDEN, "Not allowed", List.of(e.getMessage()), model, response);
    }

    private static String problem(HttpStatus status, String title, List<String> details, Model model,
            HttpServletResponse response) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("title", title);
        model.addAttribute("details", details);
        model.addAttribute("times", new Times());
        return "console/problem";
    }
}
