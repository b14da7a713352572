/**
 * Charts and HTML reports of series, predictions, bands and alerts, for the commands that show results. Knows only the
 * JDK and the chart library: callers hand it plain arrays.
 */
package io.seismo.report;
