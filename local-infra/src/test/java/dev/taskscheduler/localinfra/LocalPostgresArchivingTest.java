package dev.taskscheduler.localinfra;

import static dev.taskscheduler.localinfra.LocalPostgresTest.execute;
import static dev.taskscheduler.localinfra.LocalPostgresTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster started with a {@link WalArchive} archives its WAL through pgBackRest, and a data directory that
 * pgBackRest restored to a point in time starts as that point: the restore path the ops scripts take, at the level of
 * the embedded server.
 */
class LocalPostgresArchivingTest {

    @TempDir
    Path work;

    @Test
    void archivesItsWalAndStartsARestoredDirectoryAsOfTheTargetTime() throws Exception {
        WalArchive archive = new WalArchive(work.resolve("archive"), "local", Duration.ofSeconds(5));
        String target;
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("original"), 0, archive)) {
            DataSource db = postgres.dataSource();
            assertThat(query(db, "SHOW archive_mode")).isEqualTo("on");
            assertThat(query(db, "SHOW archive_timeout")).isEqualTo("5s");
            archive.run("stanza-create");
            archive.run("backup", "--type=full");
            // pgBackRest records a backup's stop time in whole seconds, and a target must come after it.
            long backupSecond = System.currentTimeMillis() / 1000;
            await().until(() -> System.currentTimeMillis() / 1000 > backupSecond);
            execute(db, "CREATE TABLE ledger (entry text)");
            execute(db, "INSERT INTO ledger VALUES ('before')");
            target = query(db,
                    "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'");
            execute(db, "INSERT INTO ledger VALUES ('after')");
            String segment = query(postgres.superuserDataSource(), "SELECT pg_walfile_name(pg_switch_wal())");
            await().atMost(Duration.ofSeconds(30)).until(() -> segment.compareTo(lastArchived(postgres)) <= 0);
        }

        // PostgreSQL accepts only a data directory that its owner alone may enter.
        Files.createDirectory(work.resolve("restored"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        archive.run("restore", "--pg1-path=" + work.resolve("restored"), "--type=time", "--target=" + target,
                "--target-action=promote");
        try (LocalPostgres restored = LocalPostgres.start(work.resolve("restored"), 0, archive)) {
            assertThat(query(restored.dataSource(), "SELECT string_agg(entry, ',') FROM ledger"))
                    .isEqualTo("before");
            assertThat(query(restored.dataSource(), "SELECT pg_is_in_recovery()")).isEqualTo("f");
            // The new timeline is archived too: the first segment it completes arrives in the repository.
            String segment = query(restored.superuserDataSource(), "SELECT pg_walfile_name(pg_switch_wal())");
            assertThat(segment).startsWith("00000002");
            await().atMost(Duration.ofSeconds(30)).until(() -> segment.compareTo(lastArchived(restored)) <= 0);
        }
    }

    private static String lastArchived(LocalPostgres postgres) throws SQLException {
        return query(postgres.superuserDataSource(),
                "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
    }
}
