package io.github.lightlys3ingest.report;

import java.util.Arrays;

/**
 * Values counted into equal-width bins between their minimum and maximum.
 *
 * @param min    lower edge of the first bin
 * @param max    upper edge of the last bin (included in it)
 * @param counts values per bin
 */
public record Histogram(double min, double max, long[] counts) {

    public Histogram {
        counts = counts.clone();
    }

    /** Bins {@code values} (NaN and infinities are left out) into at most {@code bins} bins. */
    public static Histogram of(double[] values, int bins) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return new Histogram(0, 0, new long[0]);
        }
        double min = Arrays.stream(finite).min().orElseThrow();
        double max = Arrays.stream(finite).max().orElseThrow();
        long[] counts = new long[min == max ? 1 : bins];
        for (double v : finite) {
            int bin = min == max ? 0 : (int) Math.min(bins - 1, Math.floor((v - min) / (max - min) * bins));
            counts[bin]++;
        }
        return new Histogram(min, max, counts);
    }

    /** Values counted. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Lower edge of bin {@code i}. */
    public double lower(int i) {
        return min + (max - min) * i / counts.length;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Histogram h && h.min == min && h.max == max && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(min) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[" + min + ".." + max + " " + Arrays.toString(counts) + "]";
    }
}
