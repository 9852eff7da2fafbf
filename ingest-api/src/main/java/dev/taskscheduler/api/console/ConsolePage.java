package dev.taskscheduler.api.console;

import dev.taskscheduler.store.PageCursor;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list and where the next starts: the query asks for one row more than it shows, so
 * the last page has no "next" link.
 *
 * @param next the cursor of the following page; null on the last page
 */
public record ConsolePage<T>(List<T> rows, PageCursor next) {

    /** @param fetched up to {@code size + 1} rows; {@code cursorOf} gives a row's position */
    public static <T> ConsolePage<T> of(List<T> fetched, int size, Function<T, PageCursor> cursorOf) {
        if (fetched.size() <= size) {
            return new ConsolePage<>(fetched, null);
        }
        List<T> shown = fetched.subList(0, size);
        return new ConsolePage<>(List.copyOf(shown), cursorOf.apply(shown.get(size - 1)));
    }
}
