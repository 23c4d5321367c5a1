package dev.tandem.daemon;

import dev.tandem.conf.carp.CarpConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DIR/carp.conf for the daemon. No file means no carp interfaces. The
 * file holds passwords, so, like ipsec.conf, it must not be readable by others.
 */
final class CarpConfFile {

    private static final Logger LOG = LoggerFactory.getLogger(CarpConfFile.class);
    private static final long MAX_BYTES = 1 << 20;

    private CarpConfFile() {
    }

    static CarpConf load(Path file) throws ConfigError {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigError(List.of(file + ": larger than " + MAX_BYTES + " bytes"));
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ConfigError(List.of(file + ": bad file permissions (it holds passwords; chmod 600 it)"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return CarpConf.EMPTY;
        } catch (IOException e) {
            throw new ConfigError(List.of(file + ": " + e.getMessage()));
        }
        try {
            return CarpConf.parse(file, text, w -> LOG.warn("{}", w));
        } catch (CarpConf.Invalid e) {
            throw new ConfigError(e.problems());
        }
    }
}
