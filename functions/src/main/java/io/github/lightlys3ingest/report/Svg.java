package io.github.lightlys3ingest.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Inline SVG plots: no script, no fonts or styles from elsewhere, so the page draws them offline. */
final class Svg {
    private static final int WIDTH = 460;
    private static final int HEIGHT = 200;
    private static final int LEFT = 44;
    private static final int BOTTOM = 28;
    private static final int TOP = 10;
    private static final String BAR_COLOUR = "#3b6ea5";

    private Svg() {
    }

    /** A histogram: one bar per bin, its count as a tooltip, the value range on the x axis. */
    static String histogram(String id, Histogram histogram, String unit) {
        StringBuilder svg = open(id, histogram.total(), HEIGHT);
        long[] counts = histogram.counts();
        long highest = 1;
        for (long c : counts) {
            highest = Math.max(highest, c);
        }
        int plotWidth = WIDTH - LEFT - 10;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        axes(svg, plotWidth, plotHeight, highest);
        for (int i = 0; i < counts.length; i++) {
            double barWidth = (double) plotWidth / counts.length;
            double h = (double) counts[i] / highest * plotHeight;
            double upper = i + 1 == counts.length ? histogram.max() : histogram.lower(i + 1);
            svg.append(String.format(Locale.ROOT,
                    "<rect class=\"bin\" data-count=\"%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                            + " fill=\"%s\"><title>%s to %s %s: %d</title></rect>%n",
                    counts[i], LEFT + i * barWidth + 1, TOP + plotHeight - h, Math.max(1, barWidth - 2), h, BAR_COLOUR,
                    number(histogram.lower(i)), number(upper), Html.escape(unit), counts[i]));
        }
        text(svg, LEFT, HEIGHT - 8, "start", number(histogram.min()) + " " + unit);
        text(svg, WIDTH - 10, HEIGHT - 8, "end", number(histogram.max()) + " " + unit);
        return svg.append("</svg>\n").toString();
    }

    /** Horizontal bars, one per label, longest first as given. */
    static String bars(String id, List<Map.Entry<String, Long>> entries) {
        int row = 18;
        int height = Math.max(row, entries.size() * row) + 4;
        long total = entries.stream().mapToLong(Map.Entry::getValue).sum();
        StringBuilder svg = open(id, total, height);
        long highest = Math.max(1, entries.stream().mapToLong(Map.Entry::getValue).max().orElse(1));
        int labelWidth = 210;
        int plotWidth = WIDTH - labelWidth - 50;
        for (int i = 0; i < entries.size(); i++) {
            Map.Entry<String, Long> entry = entries.get(i);
            double w = Math.max(1, (double) entry.getValue() / highest * plotWidth);
            int y = i * row + 2;
            String label = entry.getKey().length() > 26 ? entry.getKey().substring(0, 25) + "…" : entry.getKey();
            svg.append(String.format(Locale.ROOT, "<g class=\"bar\" data-label=\"%s\" data-count=\"%d\">",
                    Html.escape(entry.getKey()), entry.getValue()));
            text(svg, labelWidth - 6, y + 13, "end", label);
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %d</title></rect>",
                    labelWidth, y + 2, w, row - 5, BAR_COLOUR, Html.escape(entry.getKey()), entry.getValue()));
            text(svg, (int) (labelWidth + w + 4), y + 13, "start", Long.toString(entry.getValue()));
            svg.append("</g>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, long count, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"plot\" data-plot=\"%s\" data-count=\"%d\" xmlns=\"http://www.w3.org/2000/svg\""
                        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n",
                id, count, WIDTH, height, WIDTH, height));
    }

    private static void axes(StringBuilder svg, int plotWidth, int plotHeight, long highest) {
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"#555\" fill=\"none\"/>%n",
                LEFT, TOP, TOP + plotHeight, LEFT + plotWidth));
        text(svg, LEFT - 4, TOP + 10, "end", Long.toString(highest));
        text(svg, LEFT - 4, TOP + plotHeight, "end", "0");
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, String text) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" font-family=\"sans-serif\">%s</text>",
                x, y, anchor, Html.escape(text)));
    }

    /** Three significant digits, plain notation. */
    static String number(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
