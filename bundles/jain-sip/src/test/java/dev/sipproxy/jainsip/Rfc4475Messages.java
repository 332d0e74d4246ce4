package dev.sipproxy.jainsip;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** The RFC 4475 torture messages the integration tests send, for the unit tests that read them as files. */
final class Rfc4475Messages {
    private static final Path DIR = Paths.get("..", "..", "itests", "src", "test", "resources", "rfc4475");

    private Rfc4475Messages() {
    }

    /** The message files, in name order; fails the test if they are not there. */
    static List<Path> files() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
        assertTrue("RFC 4475 messages found in " + DIR.toAbsolutePath(), files.size() > 40);
        return files;
    }
}
