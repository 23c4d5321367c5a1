package dev.tandem.daemon;

import dev.tandem.conf.sasyncd.SasyncdConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DIR/sasyncd.conf for the daemon. No file means no replication. As
 * OpenBSD's sasyncd does, it refuses a file that group or others may read or
 * write: it holds the cluster's shared key.
 */
final class SasyncdConfFile {

    private static final Logger LOG = LoggerFactory.getLogger(SasyncdConfFile.class);
    private static final Set<PosixFilePermission> NOT_ALLOWED = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SasyncdConfFile() {
    }

    /** The parsed file, or null if there is none. */
    static SasyncdConf load(Path file) throws ConfigError {
        String text;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            perms.retainAll(NOT_ALLOWED);
            if (!perms.isEmpty()) {
                throw new ConfigError(List.of(file + ": bad file permissions: group and others must have none "
                        + "(it holds the shared key; chmod 600 it)"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigError(List.of(file + ": " + e.getMessage()));
        }
        try {
            return SasyncdConf.parse(file, text, w -> LOG.warn("{}", w));
        } catch (SasyncdConf.Invalid e) {
            throw new ConfigError(e.problems());
        }
    }
}
