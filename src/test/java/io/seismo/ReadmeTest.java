package io.seismo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.seismo.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README documents every configuration key with its real default, and its test command is what CI runs. */
class ReadmeTest {
    @Test
    void shouldDocumentEveryConfigurationKeyWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (ConfigDef.Key key : ConfigDef.keys()) {
            assertTrue(readme.contains("| `" + key.name() + "` | " + key.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " | `" + key.defaultValue() + "` |"), "README lacks an up-to-date row for " + key.name());
        }
    }

    @Test
    void shouldRunTheReadmeTestCommandInCi() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String ci = Files.readString(Path.of(".ci/run"));
        assertTrue(readme.contains("mvn -B verify") && ci.contains("mvn -B verify"));
    }
}
