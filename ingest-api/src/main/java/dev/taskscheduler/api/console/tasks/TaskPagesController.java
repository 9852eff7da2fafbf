package dev.taskscheduler.api.console.tasks;

import dev.taskscheduler.api.admin.DeadLetterReplayService;
import dev.taskscheduler.api.admin.ReplayResult;
import dev.taskscheduler.api.console.ConsolePage;
import dev.taskscheduler.api.console.ConsoleProperties;
import dev.taskscheduler.api.console.ListFilterForm;
import dev.taskscheduler.api.console.PoolRoutingProperties;
import dev.taskscheduler.api.rest.TaskActions;
import dev.taskscheduler.api.rest.TaskStateConflictException;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.DeadLetterFilter;
import dev.taskscheduler.store.PageCursor;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The task list with its filters and keyset pages, a task's detail, and cancel, reschedule and retry. */
@Controller
class TaskPagesController {

    private final TaskRepository tasks;
    private final TaskActions actions;
    private final DeadLetterReplayService replays;
    private final PoolRouting routing;
    private final ConsoleProperties properties;

    TaskPagesController(TaskRepository tasks, TaskActions actions, DeadLetterReplayService replays,
            PoolRoutingProperties routing, ConsoleProperties properties) {
        this.tasks = tasks;
        this.actions = actions;
        this.replays = replays;
        this.routing = routing.routing();
        this.properties = properties;
    }

    @GetMapping("/console/tasks")
    String list(@ModelAttribute("filter") ListFilterForm filter, @AuthenticationPrincipal Caller caller, Model model) {
        int size = properties.pageSize();
        ConsolePage<StoredTask> page = ConsolePage.of(tasks.page(filter.tasks(routing, caller), filter.cursor(), size + 1),
                size, task -> new PageCursor(task.createdAt(), task.id()));
        model.addAttribute("page", page);
        model.addAttribute("statuses", Arrays.stream(TaskStatus.values()).map(TaskStatus::dbValue).toList());
        model.addAttribute("priorities", Arrays.stream(TaskPriority.values()).map(TaskPriority::value).toList());
        model.addAttribute("pools", routing.pools());
        return "console/tasks";
    }

    @GetMapping("/console/tasks/{id}")
    String detail(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, Model model) {
        StoredTask task = actions.find(id, caller);
        model.addAttribute("task", task);
        model.addAttribute("attempts", actions.attempts(id, caller));
        model.addAttribute("payload", pretty(task.payloadJson()));
        model.addAttribute("result", pretty(task.resultJson()));
        model.addAttribute("pool", routing.poolOf(task.type()));
        model.addAttribute("live", task.status() == TaskStatus.PENDING || task.status() == TaskStatus.RUNNING);
        return "console/task";
    }

    @PostMapping("/console/tasks/{id}/cancel")
    String cancel(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        try {
            actions.cancel(id, caller);
            flash.addFlashAttribute("notice", "Task cancelled: it will not run.");
        } catch (TaskStateConflictException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/console/tasks/" + id;
    }

    @PostMapping("/console/tasks/{id}/reschedule")
    String reschedule(@PathVariable UUID id, @RequestParam(required = false) String runAt,
            @RequestParam(required = false) String delay, @AuthenticationPrincipal Caller caller,
            RedirectAttributes flash) {
        try {
            StoredTask moved = actions.reschedule(id, blankToNull(runAt), blankToNull(delay), caller);
            flash.addFlashAttribute("notice", "Task rescheduled to " + moved.runAt() + ".");
        } catch (TaskStateConflictException e) {
            flash.addFlashAttribute("error", e.getMessage());
        } catch (InvalidSubmissionException e) {
            flash.addFlashAttribute("error", "Not rescheduled: " + e.getMessage());
        }
        return "redirect:/console/tasks/" + id;
    }

    /** Replays a dead-lettered task: pending again with a fresh retry budget, audited like any replay. */
    @PostMapping("/console/tasks/{id}/retry")
    String retry(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        actions.find(id, caller);
        ReplayResult result = replays.replay(new DeadLetterFilter(List.of(id), null, null, null, null, 1,
                caller.taskTypes()), DeadLetterReplayService.DEFAULT_RATE, false, caller);
        if (result.replayed() == 1) {
            flash.addFlashAttribute("notice", "Task replayed: it runs again (replay #" + result.replayId() + ").");
        } else {
            flash.addFlashAttribute("error", "Only a dead-lettered task can be retried.");
        }
        return "redirect:/console/tasks/" + id;
    }

    private static String pretty(String json) {
        return json == null ? null : Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(Json.mapper().readTree(json));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
