package dev.taskscheduler.api.console.schedules;

import dev.taskscheduler.api.schedule.ScheduleService;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.StoredSchedule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Recurring schedules: the list, create and edit (the next fire times previewed while the expression
 * is typed), pause, resume, trigger now and delete, through the same service as the REST API.
 */
@Controller
class SchedulePagesController {

    /** Fire times the form previews. */
    static final int PREVIEWED = 5;

    private final ScheduleService schedules;

    SchedulePagesController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @GetMapping("/console/schedules")
    String list(@AuthenticationPrincipal Caller caller, Model model) {
        Instant now = Instant.now();
        Map<UUID, Instant> next = new LinkedHashMap<>();
        List<StoredSchedule> all = schedules.list(caller);
        for (StoredSchedule schedule : all) {
            if (!schedule.paused()) {
                next.put(schedule.id(), CronSchedule.parse(schedule.cron(), schedule.timeZone()).nextAfter(now));
            }
        }
        model.addAttribute("schedules", all);
        model.addAttribute("next", next);
        return "console/schedules";
    }

    /** The next fire times of an expression in a zone, as a part of the form (read while typing). */
    @GetMapping("/console/schedules/preview")
    String preview(@RequestParam(required = false) String cron, @RequestParam(required = false) String timeZone,
            Model model) {
        // 200 even for a mistake: htmx swaps only successful answers, and this part shows the mistake.
        previewInto(model, cron, timeZone);
        return "console/schedule-form :: preview";
    }

    @GetMapping("/console/schedules/new")
    String newSchedule(Model model) {
        return form(model, ScheduleForm.blank(), null, null);
    }

    @PostMapping("/console/schedules")
    String create(@ModelAttribute ScheduleForm form, @AuthenticationPrincipal Caller caller, Model model,
            RedirectAttributes flash, HttpServletResponse response) {
        return save(form, null, () -> schedules.create(form.request(), caller), "created", model, flash, response);
    }

    @GetMapping("/console/schedules/{id}/edit")
    String edit(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, Model model) {
        return form(model, ScheduleForm.of(schedules.get(id, caller)), id, null);
    }

    @PostMapping("/console/schedules/{id}")
    String update(@PathVariable UUID id, @ModelAttribute ScheduleForm form, @AuthenticationPrincipal Caller caller,
            Model model, RedirectAttributes flash, HttpServletResponse response) {
        return save(form, id, () -> schedules.update(id, form.request(), caller), "saved", model, flash, response);
    }

    /** Saves and returns to the list; a mistake shows the form again, as typed, with what is wrong. */
    private String save(ScheduleForm form, UUID id, Supplier<StoredSchedule> saving, String done, Model model,
            RedirectAttributes flash, HttpServletResponse response) {
        try {
            StoredSchedule saved = saving.get();
            flash.addFlashAttribute("notice", "Schedule '" + saved.name() + "' " + done + ".");
            return "redirect:/console/schedules";
        } catch (InvalidSubmissionException | TaskTypeNotAllowedException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return form(model, form, id, e.getMessage());
        }
    }

    @PostMapping("/console/schedules/{id}/pause")
    String pause(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        flash.addFlashAttribute("notice", "Schedule '" + schedules.setPaused(id, true, caller).name() + "' paused.");
        return "redirect:/console/schedules";
    }

    @PostMapping("/console/schedules/{id}/resume")
    String resume(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        flash.addFlashAttribute("notice", "Schedule '" + schedules.setPaused(id, false, caller).name() + "' resumed.");
        return "redirect:/console/schedules";
    }

    @PostMapping("/console/schedules/{id}/trigger")
    String trigger(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        SubmissionResult result = schedules.trigger(id, caller);
        flash.addFlashAttribute("notice", "Task submitted now.");
        flash.addFlashAttribute("triggeredTask", result.task().id());
        return "redirect:/console/schedules";
    }

    @PostMapping("/console/schedules/{id}/delete")
    String delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        String name = schedules.get(id, caller).name();
        schedules.delete(id, caller);
        flash.addFlashAttribute("notice", "Schedule '" + name + "' deleted.");
        return "redirect:/console/schedules";
    }

    private String form(Model model, ScheduleForm form, UUID id, String error) {
        model.addAttribute("form", form);
        model.addAttribute("scheduleId", id);
        model.addAttribute("error", error);
        previewInto(model, form.cron(), form.timeZone());
        return "console/schedule-form";
    }

    private void previewInto(Model model, String cron, String timeZone) {
        try {
            model.addAttribute("fireTimes", schedules.preview(cron,
                    timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.strip(), PREVIEWED));
        } catch (InvalidSubmissionException e) {
            model.addAttribute("previewError", e.getMessage());
        }
    }
}
