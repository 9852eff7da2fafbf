package dev.taskscheduler.model.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast reading of a date-time agrees with {@link OffsetDateTime#parse} on every text. */
class OffsetDateTimesTest {

    @Property(tries = 2000)
    void agreesWithTheGeneralParser(@ForAll("dateTimes") String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException refused) {
            assertThat(OffsetDateTimes.parseCommonShape(text)).as(text).isNull();
            assertThatThrownBy(() -> OffsetDateTimes.parse(text)).isInstanceOf(DateTimeParseException.class);
            return;
        }
        Instant fast = OffsetDateTimes.parseCommonShape(text);
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(expected);
        }
        assertThat(OffsetDateTimes.parse(text)).as(text).isEqualTo(expected);
    }

    @Example
    void theCommonShapesTakeTheFastPath() {
        assertThat(OffsetDateTimes.parseCommonShape("2030-01-01T10:00:00Z"))
                .isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(OffsetDateTimes.parseCommonShape("2030-01-01T10:00:00.123456789Z"))
                .isEqualTo(Instant.parse("2030-01-01T10:00:00.123456789Z"));
        assertThat(OffsetDateTimes.parseCommonShape("2030-01-01T10:00:00.5+05:30"))
                .isEqualTo(Instant.parse("2030-01-01T04:30:00.500Z"));
        assertThat(OffsetDateTimes.parseCommonShape("2024-02-29T23:59:59-00:30"))
                .isEqualTo(Instant.parse("2024-03-01T00:29:59Z"));
    }

    @Example
    void otherShapesAreLeftToTheGeneralParser() {
        assertThat(OffsetDateTimes.parseCommonShape("2030-01-01T10:00Z")).isNull();
        assertThat(OffsetDateTimes.parse("2030-01-01T10:00Z")).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(OffsetDateTimes.parseCommonShape("2023-02-29T10:00:00Z")).isNull();
        assertThatThrownBy(() -> OffsetDateTimes.parse("2023-02-29T10:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
    }

    /**
     * Texts near the common shape: fields of any two digits (impossible dates, hours, offsets
     * included), fractions of 0 to 11 digits, offsets of every form, and single characters
     * replaced, dropped or added.
     */
    @Provide
    Arbitrary<String> dateTimes() {
        Arbitrary<String> twoDigits = Arbitraries.integers().between(0, 99).map(n -> String.format("%02d", n));
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999)
                .map(n -> String.format("%04d", n)), Arbitraries.of("+12345", "-0001", "999", "20300"));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("."),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11).map(digits -> "." + digits));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("Z", "z", "", "+00:00", "-00:00", "+18:00",
                        "-18:00", "+18:01", "+05:30:15", "+0530", "+05"),
                Combinators.combine(Arbitraries.of("+", "-"), twoDigits, twoDigits).as((s, h, m) -> s + h + ":" + m));
        Arbitrary<String> shaped = Combinators.combine(year, twoDigits, twoDigits, twoDigits, twoDigits, twoDigits,
                fraction, offset).as((y, mo, d, h, mi, s, f, o) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":"
                + s + f + o);
        Arbitrary<String> valid = Arbitraries.longs().between(-62_000_000_000L, 253_000_000_000L)
                .map(seconds -> Instant.ofEpochSecond(seconds).toString());
        Arbitrary<String> nearby = Arbitraries.oneOf(shaped, valid);
        return Arbitraries.oneOf(nearby, nearby, Combinators.combine(nearby, Arbitraries.integers().between(0, 40),
                Arbitraries.chars().all(), Arbitraries.of(0, 1, 2)).as(OffsetDateTimesTest::mutated));
    }

    private static String mutated(String text, int at, char c, int how) {
        int i = Math.min(at, text.length());
        return switch (how) {
            case 0 -> text.substring(0, i) + c + text.substring(i);
            case 1 -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
            default -> i < text.length() ? text.substring(0, i) + c + text.substring(i + 1) : text + c;
        };
    }
}
