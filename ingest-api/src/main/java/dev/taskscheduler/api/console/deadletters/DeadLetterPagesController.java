package dev.taskscheduler.api.console.deadletters;

import dev.taskscheduler.api.admin.DeadLetterReplayService;
import dev.taskscheduler.api.admin.ReplayResult;
import dev.taskscheduler.api.console.ConsolePage;
import dev.taskscheduler.api.console.ConsoleProperties;
import dev.taskscheduler.api.console.ListFilterForm;
import dev.taskscheduler.api.console.PoolRoutingProperties;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.DeadLetterFilter;
import dev.taskscheduler.store.DeadLetterRepository;
import dev.taskscheduler.store.PageCursor;
import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dead-letter queue: the list with the task list's filters, a replay by the same filter in two
 * steps (a dry run that counts and audits, then the paced replay once confirmed), and the audit of
 * past replays. A caller restricted to some task types sees, replays and audits only its own.
 */
@Controller
class DeadLetterPagesController {

    private static final int AUDIT_ROWS = 20;

    private final DeadLetterRepository deadLetters;
    private final DeadLetterReplayService replays;
    private final PoolRouting routing;
    private final ConsoleProperties properties;

    DeadLetterPagesController(DeadLetterRepository deadLetters, DeadLetterReplayService replays,
            PoolRoutingProperties routing, ConsoleProperties properties) {
        this.deadLetters = deadLetters;
        this.replays = replays;
        this.routing = routing.routing();
        this.properties = properties;
    }

    @GetMapping("/console/dead-letters")
    String list(@ModelAttribute("filter") ListFilterForm filter, @AuthenticationPrincipal Caller caller, Model model) {
        int size = properties.pageSize();
        DeadLetterFilter selection = filter.deadLetters(routing, caller, size + 1);
        ConsolePage<StoredTask> page = ConsolePage.of(deadLetters.findPage(selection, filter.cursor()), size,
                task -> new PageCursor(task.finishedAt(), task.id()));
        model.addAttribute("page", page);
        model.addAttribute("priorities", Arrays.stream(TaskPriority.values()).map(TaskPriority::value).toList());
        model.addAttribute("pools", routing.pools());
        model.addAttribute("defaultRate", DeadLetterReplayService.DEFAULT_RATE);
        model.addAttribute("maxLimit", DeadLetterReplayService.MAX_LIMIT);
        // Audit rows name other callers' filters: a caller limited to some types sees its own only.
        model.addAttribute("audit", deadLetters.recentReplays(caller.reachesAllTypes() ? null : caller.name(),
                AUDIT_ROWS));
        return "console/dead-letters";
    }

    /** The dry run: how many dead letters the filter selects; audited, nothing changes. */
    @PostMapping("/console/dead-letters/preview")
    String preview(@ModelAttribute("filter") ListFilterForm filter, @RequestParam int ratePerSecond,
            @RequestParam int limit, @AuthenticationPrincipal Caller caller, Model model) {
        ReplayResult dryRun = replays.replay(selection(filter, caller, limit), ratePerSecond, true, caller);
        model.addAttribute("dryRun", dryRun);
        model.addAttribute("ratePerSecond", ratePerSecond);
        model.addAttribute("limit", limit);
        model.addAttribute("spread", Duration.ofMillis(1000L * Math.max(0, dryRun.matched() - 1) / ratePerSecond));
        return "console/replay-confirm";
    }

    /** The confirmed replay: pending again, due one after another at the chosen pace. */
    @PostMapping("/console/dead-letters/replay")
    String replay(@ModelAttribute("filter") ListFilterForm filter, @RequestParam int ratePerSecond,
            @RequestParam int limit, @AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        ReplayResult result = replays.replay(selection(filter, caller, limit), ratePerSecond, false, caller);
        flash.addFlashAttribute("notice", "Replayed " + result.replayed() + " dead letter"
                + (result.replayed() == 1 ? "" : "s") + " at " + ratePerSecond + " per second (replay #"
                + result.replayId() + ").");
        return "redirect:/console/dead-letters";
    }

    private DeadLetterFilter selection(ListFilterForm filter, Caller caller, int limit) {
        if (limit < 1 || limit > DeadLetterReplayService.MAX_LIMIT) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + DeadLetterReplayService.MAX_LIMIT);
        }
        if (!filter.isNarrowed()) {
            throw new InvalidSubmissionException("filter",
                    "narrow the selection first (an id, a type, a pool, an error text or a time range)");
        }
        return filter.deadLetters(routing, caller, limit);
    }
}
