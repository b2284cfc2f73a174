package io.github.lightlys3ingest.report;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The report as one HTML page that works offline: styles and plots inline, no script, and images only as
 * the links (or data URIs) the caller supplies. Counts carry {@code data-count} attributes so tools (and the
 * tests) can read them from the page.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:sans-serif;margin:24px;color:#222;background:#fff}
            h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
            table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;vertical-align:top}
            .totals td.count{text-align:right;font-weight:bold;font-size:18px}
            .rejection td{font-size:13px}.detail{color:#555}
            .plots{display:flex;flex-wrap:wrap;gap:16px}.plots figure{margin:0}
            .sheet{display:flex;flex-wrap:wrap;gap:8px}
            .thumb{margin:0;width:128px;font-size:11px;overflow-wrap:anywhere}
            .thumb img{width:128px;height:128px;object-fit:contain;background:#eee;display:block}
            .note{color:#8a5300}""";

    private HtmlReport() {
    }

    /**
     * @param output      the output datasource shown in the title
     * @param imageSource the {@code src} of a thumbnail, or empty to show only its name
     * @param notes       remarks shown under the totals (limits applied, images left out)
     */
    public static String render(ReportData data, String output, Instant generatedAt,
                                Function<ReportData.Thumb, Optional<String>> imageSource, List<String> notes) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Ingestion report: ").append(Html.escape(output)).append("</title>\n")
                .append("<style>").append(STYLE).append("</style></head>\n<body>\n")
                .append("<h1>Ingestion report</h1>\n<p>Output datasource <code>").append(Html.escape(output))
                .append("</code>, generated ").append(generatedAt).append(".</p>\n");
        totals(html, data);
        for (String note : notes) {
            html.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        }
        rejections(html, data);
        html.append("<h2>Distributions</h2>\n<div class=\"plots\">\n");
        plot(html, "sharpness", "Sharpness", data.sharpness(), "");
        plot(html, "snr", "Signal-to-noise ratio", data.snr(), "");
        plot(html, "megapixels", "Megapixels", data.megapixels(), "MP");
        plot(html, "megabytes", "File size", data.megabytes(), "MB");
        html.append("</div>\n<h2>Cameras (EXIF Make and Model)</h2>\n");
        if (data.cameras().isEmpty()) {
            html.append("<p>No records.</p>\n");
        } else {
            html.append(Svg.bars("cameras", data.cameras()));
        }
        sheet(html, data, imageSource);
        return html.append("</body></html>\n").toString();
    }

    private static void totals(StringBuilder html, ReportData data) {
        html.append("<h2>Totals</h2>\n<table class=\"totals\">\n");
        row(html, "records", "Records (samples)", data.records());
        row(html, "in-lightly", "of which in Lightly", data.inLightly());
        row(html, "dry-run", "of which dry run (no Lightly sample)", data.records() - data.inLightly());
        row(html, "rejections", "Rejections", data.rejections());
        row(html, "removals", "Removal notes", data.removals());
        row(html, "thumbnails", "Records with a thumbnail", data.withThumbnail());
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String id, String label, long count) {
        html.append(String.format(Locale.ROOT, "<tr><th>%s</th><td class=\"count\" id=\"count-%s\""
                + " data-count=\"%d\">%,d</td></tr>%n", label, id, count, count));
    }

    private static void rejections(StringBuilder html, ReportData data) {
        html.append("<h2>Rejections by reason</h2>\n");
        if (data.rejected().isEmpty()) {
            html.append("<p>None.</p>\n");
            return;
        }
        for (Map.Entry<String, ReportData.Reason> entry : data.rejected().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            ReportData.Reason reason = entry.getValue();
            html.append(String.format(Locale.ROOT, "<section class=\"reason\" data-reason=\"%s\" data-count=\"%d\">"
                    + "<h3>%s: %,d</h3>%n<table>%n", Html.escape(entry.getKey()), reason.count(),
                    Html.escape(entry.getKey()), reason.count()));
            for (ReportData.RejectedFile file : reason.files()) {
                html.append("<tr class=\"rejection\"><td>").append(Html.escape(file.fileName()))
                        .append("</td><td class=\"detail\">").append(Html.escape(file.detail())).append("</td></tr>\n");
            }
            html.append("</table>\n");
            if (reason.count() > reason.files().size()) {
                html.append(String.format(Locale.ROOT, "<p class=\"note\">and %,d more</p>%n",
                        reason.count() - reason.files().size()));
            }
            html.append("</section>\n");
        }
    }

    private static void plot(StringBuilder html, String id, String title, Histogram histogram, String unit) {
        html.append("<figure><figcaption>").append(Html.escape(title)).append(" (")
                .append(String.format(Locale.ROOT, "%,d", histogram.total())).append(" samples)</figcaption>\n")
                .append(Svg.histogram(id, histogram, unit)).append("</figure>\n");
    }

    private static void sheet(StringBuilder html, ReportData data,
                              Function<ReportData.Thumb, Optional<String>> imageSource) {
        html.append(String.format(Locale.ROOT, "<h2>Contact sheet (%,d of %,d thumbnails)</h2>%n",
                data.thumbnails().size(), data.withThumbnail()));
        html.append("<div class=\"sheet\">\n");
        for (ReportData.Thumb thumb : data.thumbnails()) {
            html.append("<figure class=\"thumb\">");
            Optional<String> src = imageSource.apply(thumb);
            src.ifPresent(s -> html.append("<img src=\"").append(Html.escape(s)).append("\" alt=\"")
                    .append(Html.escape(thumb.fileName())).append("\" width=\"128\" height=\"128\">"));
            html.append("<figcaption>").append(Html.escape(thumb.fileName())).append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
    }
}
