package dev.taskscheduler.api.submission;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskAttempt;
import dev.taskscheduler.store.TaskRepository;
import java.util.List;
import dev.taskscheduler.store.cache.TaskStatusCache;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reads a task from the Redis cache, falling back to PostgreSQL (and refilling the cache). */
@Service
public class TaskQueryService {

    private final TaskRepository tasks;
    private final TaskStatusCache cache;

    public TaskQueryService(TaskRepository tasks, TaskStatusCache cache) {
        this.tasks = tasks;
        this.cache = cache;
    }

    public Optional<StoredTask> find(UUID id) {
        Optional<StoredTask> cached = cache.get(id);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<StoredTask> stored = tasks.findById(id);
        stored.ifPresent(cache::put);
        return stored;
    }

    public List<TaskAttempt> attempts(UUID id) {
        return tasks.findAttempts(id);
    }
}
