package dev.tandem.conf.ipsec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/** Configuration files on the local file system; relative names resolve against the working directory. */
public final class LocalConfFiles implements ConfFiles {

    @Override
    public byte[] read(String name, int limit) throws IOException {
        Path p = Path.of(ByteText.toJava(name));
        if (Files.isDirectory(p)) {
            throw new FileSystemException(name, null, "Is a directory");
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] data = in.readNBytes(limit);
            if (data.length == limit && in.read() != -1) {
                throw new FileSystemException(name, null, "File too large");
            }
            return data;
        }
    }

    @Override
    public String identity(String name) throws IOException {
        return Path.of(ByteText.toJava(name)).toRealPath().toString();
    }

    @Override
    public Optional<String> secrecyProblem(String name) throws IOException {
        Path p = Path.of(ByteText.toJava(name));
        int owner = (Integer) Files.getAttribute(p, "unix:uid");
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != 0 && owner != me) {
            return Optional.of(name + ": owner not root or current user");
        }
        Set<PosixFilePermission> perms = Files.readAttributes(p, PosixFileAttributes.class).permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                || perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            return Optional.of(name + ": group writable or world read/writable");
        }
        return Optional.empty();
    }
}
