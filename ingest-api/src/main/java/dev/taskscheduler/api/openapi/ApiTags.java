package dev.taskscheduler.api.openapi;

import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;

/** The tags the document groups operations by; each is defined once, with its description. */
public final class ApiTags {

    public static final String TASKS = "tasks";
    public static final String SCHEDULES = "schedules";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String OPERATIONS = "operations";
    public static final String API_KEYS = "api-keys";

    static final List<Tag> ALL = List.of(
            new Tag().name(TASKS).description("Submit, read, list, cancel and reschedule tasks."),
            new Tag().name(SCHEDULES).description("Recurring schedules: a cron expression, a time zone and a task"
                    + " template."),
            new Tag().name(DEAD_LETTERS).description("Tasks that used up their retries: list and replay them."),
            new Tag().name(OPERATIONS).description("Consumer lag and the stuck-task reset, for operators."),
            new Tag().name(API_KEYS).description("Create, list and revoke API keys."));

    private ApiTags() {
    }
}
