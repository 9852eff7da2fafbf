package dev.taskscheduler.worker.handler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** All handlers of this process, by task type. Two handlers for one type stop the startup. */
@Component
public class HandlerRegistry {

    private final Map<String, TaskHandler> handlersByType;

    public HandlerRegistry(List<TaskHandler> handlers) {
        this.handlersByType = handlers.stream().collect(Collectors.toMap(TaskHandler::type, Function.identity(),
                (first, second) -> {
                    throw new IllegalStateException("Task type '" + first.type() + "' has two handlers: "
                            + first.getClass().getName() + " and " + second.getClass().getName());
                }));
    }

    public Set<String> types() {
        return handlersByType.keySet();
    }

    public Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(handlersByType.get(type));
    }
}
