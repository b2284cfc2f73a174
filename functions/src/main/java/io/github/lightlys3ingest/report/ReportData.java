package io.github.lightlys3ingest.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the report shows, gathered from the records and rejections of an output datasource.
 *
 * @param records      records read
 * @param inLightly    records naming a Lightly sample
 * @param rejections   rejections read
 * @param removals     removal notes listed
 * @param rejected     rejections by reason code, each with at most {@link #REJECTIONS_SHOWN} files
 * @param sharpness    distribution of the samples' sharpness
 * @param snr          distribution of their signal-to-noise ratio
 * @param megapixels   distribution of width x height / 10^6
 * @param megabytes    distribution of the original objects' sizes in MB (10^6 bytes)
 * @param cameras      records per camera ({@code Make Model} from EXIF), most frequent first
 * @param thumbnails   the first {@code maxThumbnails} records with a thumbnail, in file name order
 * @param withThumbnail records with a thumbnail
 */
public record ReportData(long records, long inLightly, long rejections, long removals,
                         Map<String, Reason> rejected, Histogram sharpness, Histogram snr, Histogram megapixels,
                         Histogram megabytes, List<Map.Entry<String, Long>> cameras, List<Thumb> thumbnails,
                         long withThumbnail) {
    /** Files listed per rejection reason; the count is always complete. */
    public static final int REJECTIONS_SHOWN = 1000;
    static final String UNKNOWN_CAMERA = "(no camera in EXIF)";
    private static final int BINS = 20;

    public ReportData {
        rejected = Map.copyOf(rejected);
        cameras = List.copyOf(cameras);
        thumbnails = List.copyOf(thumbnails);
    }

    /**
     * The rejections of one reason.
     *
     * @param count all rejections with this reason
     * @param files the first {@link #REJECTIONS_SHOWN} of them
     */
    public record Reason(long count, List<RejectedFile> files) {
        public Reason {
            files = List.copyOf(files);
        }
    }

    /** One rejected file and why. */
    public record RejectedFile(String fileName, String detail) {
    }

    /** One thumbnail of the contact sheet: its key relative to the output root and the file it shows. */
    public record Thumb(String fileName, String key, String contentType) {
    }

    /** Collects records and rejections, in the order they should appear. */
    public static final class Builder {
        private final int maxThumbnails;
        private final Map<String, List<RejectedFile>> rejected = new TreeMap<>();
        private final Map<String, Long> rejectedCounts = new HashMap<>();
        private final Map<String, Long> cameras = new HashMap<>();
        private final List<Thumb> thumbnails = new ArrayList<>();
        private final Values sharpness = new Values();
        private final Values snr = new Values();
        private final Values megapixels = new Values();
        private final Values megabytes = new Values();
        private long records;
        private long inLightly;
        private long rejections;
        private long withThumbnail;

        /** @param maxThumbnails thumbnails kept for the contact sheet */
        public Builder(int maxThumbnails) {
            this.maxThumbnails = maxThumbnails;
        }

        /** A record ({@code .lightly/ingest/records/...}). */
        public Builder record(JsonNode record) {
            records++;
            if (record.hasNonNull("lightlySampleId")) {
                inLightly++;
            }
            JsonNode request = record.path("sampleCreateRequest");
            JsonNode meta = request.path("metaData");
            if (meta.has("sharpness")) {
                sharpness.add(meta.path("sharpness").asDouble());
            }
            if (meta.has("snr")) {
                snr.add(meta.path("snr").asDouble());
            }
            JsonNode shape = meta.path("shape");
            if (shape.isArray() && shape.size() >= 2) {
                megapixels.add(shape.get(0).asDouble() * shape.get(1).asDouble() / 1e6);
            }
            if (meta.has("sizeInBytes")) {
                megabytes.add(meta.path("sizeInBytes").asDouble() / 1e6);
            }
            cameras.merge(camera(request.path("exif")), 1L, Long::sum);
            JsonNode thumbnail = record.path("thumbnail");
            if (thumbnail.hasNonNull("key")) {
                withThumbnail++;
                if (thumbnails.size() < maxThumbnails) {
                    thumbnails.add(new Thumb(record.path("fileName").asText(), thumbnail.path("key").asText(),
                            thumbnail.path("contentType").asText("image/jpeg")));
                }
            }
            return this;
        }

        /** A rejection ({@code .lightly/ingest/rejected/...}). */
        public Builder rejection(JsonNode rejection) {
            rejections++;
            String reason = rejection.path("reason").asText("unknown");
            rejectedCounts.merge(reason, 1L, Long::sum);
            List<RejectedFile> files = rejected.computeIfAbsent(reason, r -> new ArrayList<>());
            if (files.size() < REJECTIONS_SHOWN) {
                files.add(new RejectedFile(rejection.path("fileName").asText("?"),
                        rejection.path("detail").asText("")));
            }
            return this;
        }

        /** Everything gathered, with the number of removal notes listed. */
        public ReportData build(long removals) {
            Map<String, Reason> reasons = new TreeMap<>();
            rejected.forEach((reason, files) -> reasons.put(reason, new Reason(rejectedCounts.get(reason), files)));
            List<Map.Entry<String, Long>> byCamera = cameras.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
            return new ReportData(records, inLightly, rejections, removals, reasons, sharpness.histogram(),
                    snr.histogram(), megapixels.histogram(), megabytes.histogram(), byCamera,
                    thumbnails.stream().sorted(Comparator.comparing(Thumb::fileName)).toList(), withThumbnail);
        }

        /** {@code Make Model}, without the make repeated when the model already starts with it (as Canon's do). */
        static String camera(JsonNode exif) {
            String make = exif.path("Make").asText("").strip();
            String model = exif.path("Model").asText("").strip();
            if (make.isEmpty() && model.isEmpty()) {
                return UNKNOWN_CAMERA;
            }
            if (model.toLowerCase(java.util.Locale.ROOT).startsWith(make.toLowerCase(java.util.Locale.ROOT))) {
                return model;
            }
            return (make + " " + model).strip();
        }
    }

    /** A growable array of doubles: 100k records would otherwise be 100k boxed values per plot. */
    private static final class Values {
        private double[] values = new double[256];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        Histogram histogram() {
            return Histogram.of(java.util.Arrays.copyOf(values, size), BINS);
        }
    }
}
