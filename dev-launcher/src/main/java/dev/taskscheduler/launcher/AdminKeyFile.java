package dev.taskscheduler.launcher;

import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.api.security.NewApiKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API key the launcher keeps in its data folder, readable by its owner only. */
public final class AdminKeyFile {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyFile.class);
    /** Validity of the admin key the launcher creates; it makes a new one when the kept one has expired. */
    private static final Duration ADMIN_KEY_LIFETIME = Duration.ofDays(365);

    private AdminKeyFile() {
    }

    /**
     * The admin API key of this data folder: the one kept in {@code keyFile} while it is valid
     * (the database lives in the same folder), else a new one, written there for the next start.
     */
    public static String ensure(ApiKeyService keys, Path keyFile) throws IOException {
        if (Files.isRegularFile(keyFile)) {
            String kept = Files.readString(keyFile).trim();
            if (keys.isActive(kept)) {
                return kept;
            }
            log.info("The API key in {} is no longer valid; creating a new one", keyFile);
        }
        String key = keys.create(new NewApiKey("dev-admin-" + UUID.randomUUID().toString().substring(0, 8),
                List.of("admin"), null, ADMIN_KEY_LIFETIME.toString(), null), "dev-launcher").key();
        Path partial = keyFile.resolveSibling(keyFile.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.writeString(partial, key + "\n");
        restrictToOwner(partial);
        Files.move(partial, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    static void restrictToOwner(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
