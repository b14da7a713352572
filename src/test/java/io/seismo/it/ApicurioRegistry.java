package io.seismo.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Apicurio Registry for one test class, run as a child process from the distribution the build unpacks into
 * {@code target/apicurio} (at pre-integration-test), with in-memory storage, on free ports, started before the class's
 * first test and stopped after its last. It needs Java 21 or later: {@code -Dseismo.java21=<JDK home>} (or the
 * environment variable SEISMO_JAVA21), else the first JDK of 21+ among {@code /usr/lib/jvm/temurin-25-jdk-amd64} and
 * {@code /usr/lib/jvm/*}. Without one the class is skipped, or fails when {@code CI=true}.
 */
final class ApicurioRegistry implements BeforeAllCallback, AfterAllCallback {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Path log;
    private String baseUrl;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> java = java21();
        if (java.isEmpty()) {
            String why = "no Java 21+ JDK for the Apicurio registry: set -Dseismo.java21=<JDK home> or install one under /usr/lib/jvm";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Path dist = Path.of(System.getProperty("seismo.apicurio.dir", "target/apicurio"));
        Path jar = dist.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: run the integration tests through Maven's verify phase, which unpacks the registry");
        }
        int httpPort = freePort();
        int managementPort = freePort();
        log = Files.createTempFile("apicurio-registry-", ".log");
        List<String> command = List.of(java.get().resolve("bin/java").toString(), "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", jar.toAbsolutePath().toString());
        process = new ProcessBuilder(command).directory(dist.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        baseUrl = "http://127.0.0.1:" + httpPort;
        awaitReady(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"));
    }

    /** Polls the readiness endpoint until it answers 200, failing with the registry's log if it exits or the deadline passes. */
    private void awaitReady(URI ready) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("the registry exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                fail("the registry was not ready within " + START_DEADLINE.toSeconds() + " s:\n" + logTail());
            }
            Thread.sleep(200); // polling interval, not a wait for an outcome
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    /** The registry's base URL, e.g. http://127.0.0.1:41234 (the value of schema.registry.url). */
    String baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("the registry runs only between the class's first and last test");
        }
        return baseUrl;
    }

    /** A GET on the registry, returning the body; fails the test on any status but 200. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The JDK of Java 21+ to run the registry on, if there is one. */
    static Optional<Path> java21() {
        List<Path> candidates = new ArrayList<>();
        String named = System.getProperty("seismo.java21", System.getenv("SEISMO_JAVA21"));
        if (named != null && !named.isBlank()) {
            // Named explicitly: that JDK or none.
            Path home = Path.of(named);
            return featureVersion(home) >= 21 ? Optional.of(home) : Optional.empty();
        }
        candidates.add(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.sorted().forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        return candidates.stream().filter(home -> featureVersion(home) >= 21).findFirst();
    }

    /** The feature version a JDK's {@code release} file names (JAVA_VERSION="25.0.3" is 25; "1.8.0" is 8), or 0. */
    static int featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return 0;
        }
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
        String version = props.getProperty("JAVA_VERSION", "").replace("\"", "");
        String[] parts = version.split("[._+-]");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
