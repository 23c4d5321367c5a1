package dev.tandem.conf.ipsec;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the parser reads included files and key files from. The real one
 * reads the file system; tests and the fuzzer give it an in-memory map.
 */
public interface ConfFiles {

    /** The whole file, at most {@code limit} bytes; longer files are an error. */
    byte[] read(String name, int limit) throws IOException;

    /** A name that is the same for every path leading to one file, to detect include loops. */
    String identity(String name) throws IOException;

    /**
     * ipsecctl's secrecy rule for the top-level file: owned by root or the
     * caller, and neither group-writable nor accessible to others.
     *
     * @return the complaint, or empty when the file is acceptable
     */
    Optional<String> secrecyProblem(String name) throws IOException;
}
