package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import io.seismo.api.ApiServer;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.Reading;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end in headless Chromium: a detector with its HTTP server on a real broker, readings of a few
 * series, the page opened on one of them; the chart draws the readings that arrive while it is open, and a spike in that
 * series appears in the anomaly feed within seconds. Leaves a screenshot in target/dashboard.png, or where
 * {@code -Dseismo.screenshot} says (docs/images/dashboard.png, shown in the README). Needs the system's chromium and chromedriver (Debian packages chromium, chromium-driver): without them the
 * test is skipped, except on CI (CI=true), where it fails.
 */
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String[] SERIES = {"pump-01", "pump-02", "pump-03"};
    private static final String WATCHED = "pump-02";
    private static final int BEFORE_OPENING = 150;
    private static final int WHILE_OPEN = 120;
    private static final int AFTER_SPIKE = 12;
    private static final long STEP = 60_000L;
    private static final int TOTAL = BEFORE_OPENING + WHILE_OPEN + 1 + AFTER_SPIKE;
    private static final long START = (System.currentTimeMillis() / STEP - TOTAL - 60) * STEP;
    /** Where the screenshot goes: target/ by default; {@code -Dseismo.screenshot=docs/images/dashboard.png} refreshes the README's. */
    private static final Path SCREENSHOT = Path.of(System.getProperty("seismo.screenshot", "target/dashboard.png"));

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path dir;

    private final Random noise = new Random(5);

    @BeforeAll
    static void needsTheBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install the Debian packages chromium and chromium-driver");
        }
        assumeTrue(present, "skipping the dashboard's browser test: " + CHROMIUM + " or " + CHROMEDRIVER
                + " is missing (apt-get install chromium chromium-driver)");
    }

    @Test
    void shouldDrawTheWatchedSeriesLiveAndListItsSpikeInTheFeed() throws Exception {
        Map<String, String> settings = BrokerTestSupport.servedSettings(broker.bootstrapServers(), "dashboard-it", 2, dir.resolve("state"));
        SeismoConfig config = SeismoConfig.parse(settings);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        String readings = config.topics().readings();

        try (BrokerTestSupport.ServedDetector served = BrokerTestSupport.ServedDetector.start(config);
             KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            DetectorApp detector = served.detector();
            ApiServer server = served.server();
            waitFor(Duration.ofSeconds(40), "the detector runs", detector::running);
            produce(producer, readings, 0, BEFORE_OPENING, -1);
            waitFor(Duration.ofSeconds(40), "every reading so far is judged",
                    () -> judged(detector, WATCHED) == BEFORE_OPENING);

            WebDriver browser = browser();
            try {
                browser.get(server.url() + "?series=" + WATCHED);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
                wait.until(b -> !b.findElements(By.cssSelector("#chart canvas")).isEmpty()
                        && b.findElement(By.id("status")).getText().startsWith("live"));
                assertEquals(WATCHED, browser.findElement(By.id("series-name")).getText());

                // Points reach the chart from the first subscription on.
                produce(producer, readings, BEFORE_OPENING, BEFORE_OPENING + WHILE_OPEN, -1);
                wait.until(b -> points(b) >= WHILE_OPEN);
                assertTrue(browser.findElements(By.cssSelector("#feed li[data-series='" + WATCHED + "']")).isEmpty(),
                        "no anomaly in the watched series before the spike");

                int spikeAt = BEFORE_OPENING + WHILE_OPEN;
                long spikeTime = START + spikeAt * STEP;
                long injected = System.nanoTime();
                produce(producer, readings, spikeAt, spikeAt + 1, spikeAt);
                String opened = "#feed li[data-series='" + WATCHED + "'][data-kind='OPENED'][data-timestamp='"
                        + Instant.ofEpochMilli(spikeTime) + "']";
                new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(100))
                        .until(b -> !b.findElements(By.cssSelector(opened)).isEmpty());
                long seconds = Duration.ofNanos(System.nanoTime() - injected).toSeconds();
                assertTrue(seconds < 10, "the spike is in the feed " + seconds + " s after it was sent");

                produce(producer, readings, spikeAt + 1, TOTAL, -1);
                wait.until(b -> points(b) >= WHILE_OPEN + 1 + AFTER_SPIKE);
                wait.until(b -> b.findElements(By.cssSelector("#top li")).stream().findFirst()
                        .map(li -> WATCHED.equals(li.getDomAttribute("data-series"))).orElse(false));
                assertTrue(browser.findElement(By.id("now")).getText().contains("value"), "the latest reading is shown");
                assertTrue(browser.findElement(By.id("models")).getText().contains("baseline forecaster"), "no release yet");

                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    /** Readings {@code from} (inclusive) to {@code to} (exclusive) of every series; the watched one spikes at {@code spikeAt}. */
    private void produce(KafkaProducer<String, byte[]> producer, String topic, int from, int to, int spikeAt) {
        for (int step = from; step < to; step++) {
            for (int i = 0; i < SERIES.length; i++) {
                String id = SERIES[i];
                double value = 50 + 10 * Math.sin(2 * Math.PI * (step + 13 * i) / 60.0) + noise.nextGaussian() * 0.3;
                if (id.equals(WATCHED) && step == spikeAt) {
                    value += 80;
                }
                long ts = START + step * STEP;
                producer.send(new ProducerRecord<>(topic, null, ts, id,
                        SeismoSerdes.READING.encode(new Reading(id, Instant.ofEpochMilli(ts), value))));
            }
        }
        producer.flush();
    }

    private static long judged(DetectorApp detector, String series) {
        try {
            return detector.queries().local(series).map(s -> s.readings()).orElse(0L);
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private static int points(WebDriver browser) {
        String n = browser.findElement(By.id("chart")).getDomAttribute("data-points");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private WebDriver browser() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chromium-profile").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
