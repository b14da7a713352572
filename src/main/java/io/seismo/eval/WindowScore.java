package io.seismo.eval;

import java.util.List;

/**
 * Detections against labelled windows: a window is caught when at least one detection falls inside it; a detection
 * is a true positive when it falls inside some window.
 */
public record WindowScore(int caught, int truePositives) {
    public static WindowScore of(List<long[]> windows, List<Long> detections) {
        int caught = 0;
        for (long[] w : windows) {
            for (long d : detections) {
                if (d >= w[0] && d <= w[1]) {
                    caught++;
                    break;
                }
            }
        }
        int truePositives = 0;
        for (long d : detections) {
            for (long[] w : windows) {
                if (d >= w[0] && d <= w[1]) {
                    truePositives++;
                    break;
                }
            }
        }
        return new WindowScore(caught, truePositives);
    }
}
