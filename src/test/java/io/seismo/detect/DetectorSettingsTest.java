package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import org.junit.jupiter.api.Test;

class DetectorSettingsTest {
    @Test
    void shouldRecalibrateOnASwapUnlessTheConfigurationSaysCarry() {
        assertTrue(DetectorSettings.from(SeismoConfig.defaults()).recalibrateOnSwap(), "detect.swap.threshold=recalibrate by default");
        assertFalse(DetectorSettings.from(SeismoConfig.defaults().with(Map.of("detect.swap.threshold", "carry"))).recalibrateOnSwap());
    }

    @Test
    void shouldTakeTheDetectionSettingsOfTheConfiguration() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("detect.warmup.readings", "40", "model.window", "80",
                "detect.spot.risk", "0.001"));
        DetectorSettings settings = DetectorSettings.from(config);
        assertEquals(40, settings.warmupReadings());
        assertEquals(80, settings.window());
        assertEquals(0.001, settings.spot().risk());
    }
}
