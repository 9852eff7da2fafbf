package dev.taskscheduler.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.PageCursor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The list filters take whatever a browser sends: any text in any field is a filter or a named
 * mistake, never another failure; and a page's position survives its round trip through the link.
 */
class ListFilterFormPropertiesTest {

    private static final PoolRouting ROUTING = new PoolRouting("default", Map.of("mail", "slow"));

    @Property(tries = 300)
    void anyInputIsAFilterOrANamedMistake(@ForAll("fieldText") String status, @ForAll("fieldText") String type,
            @ForAll("fieldText") String pool, @ForAll("fieldText") String priority, @ForAll("fieldText") String from,
            @ForAll("fieldText") String zone, @ForAll("fieldText") String id, @ForAll("fieldText") String after) {
        ListFilterForm form = new ListFilterForm(status, type, pool, priority, from, null, zone, id, null, null, after);

        try {
            assertThat(form.tasks(ROUTING, Caller.UNAUTHENTICATED)).isNotNull();
            assertThat(form.deadLetters(ROUTING, Caller.UNAUTHENTICATED, 10)).isNotNull();
            form.cursor();
        } catch (InvalidSubmissionException e) {
            assertThat(e.violations()).isNotEmpty();
        }
    }

    @Property(tries = 100)
    void aPagesPositionSurvivesTheLinkToIt(@ForAll @IntRange(min = 0, max = 2_000_000_000) int seconds,
            @ForAll @IntRange(min = 0, max = 999_999) int micros) {
        PageCursor cursor = new PageCursor(Instant.ofEpochSecond(seconds).plus(micros, ChronoUnit.MICROS),
                UUID.randomUUID());
        String query = new ListFilterForm("pending", "mail & more", null, null, null, null, null, null, null, null,
                null).query(cursor);
        String after = UriComponentsBuilder.fromUriString(query).build()
                .getQueryParams().getFirst("after");

        ListFilterForm next = new ListFilterForm(null, null, null, null, null, null, null, null, null, null,
                URLDecoder.decode(after, StandardCharsets.UTF_8));
        assertThat(next.cursor()).isEqualTo(cursor);
    }

    @Property(tries = 50)
    void anUnknownPriorityIsNamed(@ForAll("fieldText") String priority) {
        Assume.that(priority != null && !priority.isBlank() && !Set.of("high", "normal", "low").contains(priority.strip()));
        assertThatThrownBy(() -> new ListFilterForm(null, null, null, priority, null, null, null, null, null, null,
                null).tasks(ROUTING, Caller.UNAUTHENTICATED))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .anySatisfy(violation -> assertThat(violation.toString()).contains("priority")));
    }

    @Provide
    Arbitrary<String> fieldText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(600),
                Arbitraries.of("pending", "dead_letter", "high", "low", "slow", "default", "Europe/Berlin",
                        "2026-01-01T10:00", "2026-01-01T10:00:00", "2026-02-30T10:00", "9999-01-01T00:00",
                        UUID.randomUUID().toString(), "2026-01-01T10:00:00Z~" + UUID.randomUUID(), " ", ""),
                Arbitraries.just(null));
    }
}
