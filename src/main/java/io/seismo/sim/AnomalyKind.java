package io.seismo.sim;

/**
 * The kinds of anomaly the simulator injects. Each is sized to be clearly visible on a chart.
 */
public enum AnomalyKind {
  /** 1-3 readings far above normal (6-10 noise sd plus half the normal range). */
  SPIKE,
  /** 1-3 readings far below normal (6-10 noise sd plus half the normal range). */
  DIP,
  /** A persistent step of 5-7 noise sd plus 30% of the range for 40-120 steps, then back. */
  LEVEL_SHIFT,
  /** The value frozen at the last normal reading for 30-80 steps. */
  STUCK,
  /** Noise multiplied by 5 for 40-120 steps. */
  VARIANCE_CHANGE,
  /** A linear ramp away from normal (up to 6-9 sd plus 40% of the range) for 40-120 steps. */
  TREND_CHANGE,
  /**
   * The cycle runs at a quarter of its period for 40-120 steps (series without a cycle get one of 12 steps, of half
   * their range).
   */
  PERIOD_CHANGE,
  /**
   * The signal is lost: the sensor reads 0 for 5-30 steps; in a simulator making gaps, a dropout of 16 steps or more
   * sends nothing at all instead.
   */
  DROPOUT
}
