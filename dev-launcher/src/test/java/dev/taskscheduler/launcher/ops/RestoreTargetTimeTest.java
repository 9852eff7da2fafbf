package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.launcher.ops.OpsScript.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * pitr-restore.sh reads the restore target from the operator's command line: every ISO 8601 time with a zone is
 * taken (it goes on to its next check, here a data directory a server still uses), anything without a zone or
 * not a time at all is refused as a bad command line before anything is touched.
 */
class RestoreTargetTimeTest {

    private static Path inUse;

    @BeforeContainer
    static void aDataDirectoryAServerStillUses() throws IOException {
        inUse = Files.createTempDirectory("pitr-target-");
        Files.writeString(inUse.resolve("postmaster.pid"), "4242\n");
    }

    @AfterContainer
    static void removeIt() throws IOException {
        Files.delete(inUse.resolve("postmaster.pid"));
        Files.delete(inUse);
    }

    @Property(tries = 25)
    void takesEveryTimeWithAZone(@ForAll("zonedTimes") String time) {
        Result result = restoreTo(time);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.stderr()).contains("postmaster.pid exists");
    }

    @Property(tries = 25)
    void refusesAnythingElse(@ForAll("notZonedTimes") String text) {
        Result result = restoreTo(text);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("Try 'pitr-restore.sh --help'");
    }

    @Provide
    Arbitrary<String> zonedTimes() {
        return Arbitraries.longs().between(0, 4_000_000_000L).flatMap(seconds -> Arbitraries.integers()
                .between(-12 * 60, 14 * 60).map(minutes -> minutes / 15 * 15).flatMap(offset -> Arbitraries.of(
                        "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd HH:mm:ss.SSSSSSxx", "yyyy-MM-dd HH:mm:ss.SSSX")
                        .map(pattern -> LocalDateTime.ofEpochSecond(seconds, 123_456_000, ZoneOffset.UTC)
                                .atOffset(ZoneOffset.ofTotalSeconds(offset * 60))
                                .format(DateTimeFormatter.ofPattern(pattern)))));
    }

    @Provide
    Arbitrary<String> notZonedTimes() {
        Arbitrary<String> withoutZone = Arbitraries.longs().between(0, 4_000_000_000L)
                .map(seconds -> LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        Arbitrary<String> impossible = Arbitraries.of("2026-02-30T10:00:00Z", "2026-13-01 10:00:00+00",
                "2026-01-01T25:00:00Z", "yesterday", "", "2026-01-01T10:00:00Z; rm -rf /");
        Arbitrary<String> anything = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30);
        return Arbitraries.oneOf(withoutZone, impossible, anything);
    }

    private static Result restoreTo(String time) {
        return OpsScript.of("pitr-restore.sh").run("--target-time", time, "--pg-path", inUse.toString());
    }
}
