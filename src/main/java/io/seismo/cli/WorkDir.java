package io.seismo.cli;

import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The folder a command keeps its run's data in: the one the user named, kept at the end; or a fresh temporary one, named
 * here before it exists (so that the command's defaults can point into it) and made and removed by the run.
 */
record WorkDir(Path path, boolean temporary) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code given}, or when it is null a temporary folder not made yet, its name {@code prefix} and a random number. */
    static WorkDir of(Path given, String prefix) {
        if (given != null) {
            return new WorkDir(given, false);
        }
        String name = prefix + Long.toUnsignedString(RANDOM.nextLong());
        return new WorkDir(Path.of(System.getProperty("java.io.tmpdir")).resolve(name), true);
    }
}
