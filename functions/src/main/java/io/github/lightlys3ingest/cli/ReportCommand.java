package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.operations.ParallelReader;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.report.HtmlReport;
import io.github.lightlys3ingest.report.ReportData;
import io.github.lightlys3ingest.storage.DatasourceUri;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Writes one self-contained HTML page about an output datasource. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one HTML page about an output datasource that works offline (inline styles and SVG"
                + " plots, no script): totals, rejections by reason with file names and details, distributions"
                + " of sharpness, SNR, megapixels and file size, records per camera, and a contact sheet.",
                "Reads every record and rejection (--threads at a time).",
                "Thumbnails: relative links for a folder; for S3, presigned URLs with --presign; --embed puts them"
                        + " into the page as data: URIs, up to " + ReportCommand.EMBED_LIMIT_MB + " MB in all.",
                "Exit 0 when the page was written, 2 for bad arguments, 3 when the datasource could not be read."})
final class ReportCommand implements Callable<Integer> {
    /** Embedded thumbnails in all, so the page still opens quickly in a browser. */
    static final int EMBED_LIMIT_MB = 20;
    private static final long EMBED_LIMIT_BYTES = EMBED_LIMIT_MB * 1_000_000L;
    private static final long MAX_THUMBNAIL_BYTES = 5_000_000L;

    @Option(names = "--output", required = true, paramLabel = "DIR|s3://bucket/prefix/",
            description = "Output (LIGHTLY) datasource root to report on.")
    String output;

    @Option(names = "--html", required = true, paramLabel = "FILE", description = "Where to write the page.")
    Path html;

    @Option(names = "--presign", description = "Link S3 thumbnails with presigned URLs (valid --presign-hours).")
    boolean presign;

    @Option(names = "--presign-hours", defaultValue = "24", paramLabel = "H",
            description = "Validity of presigned URLs, 1 to 168 hours (default ${DEFAULT-VALUE}).")
    int presignHours;

    @Option(names = "--embed", description = "Put thumbnails into the page (data: URIs), up to "
            + EMBED_LIMIT_MB + " MB in all; the rest are linked or named.")
    boolean embed;

    @Option(names = "--thumbnails", defaultValue = "500", paramLabel = "N",
            description = "Thumbnails on the contact sheet at most, by file name (default ${DEFAULT-VALUE}).")
    int maxThumbnails;

    @Option(names = "--threads", defaultValue = "16", paramLabel = "N",
            description = "Reads in flight (default ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Supplier<AwsClients> aws;

    ReportCommand(Surroundings surroundings) {
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        DatasourceUri uri = DatasourceUri.parse(output);
        if (!uri.isS3() && !Files.isDirectory(uri.dir())) {
            throw new IllegalArgumentException("--output " + uri + " is not a folder");
        }
        if (presign && !uri.isS3()) {
            throw new IllegalArgumentException("--presign is for an S3 --output; a folder's thumbnails are linked");
        }
        if (presignHours < 1 || presignHours > 168) {
            throw new IllegalArgumentException("--presign-hours must be between 1 and 168 (7 days, S3's limit)");
        }
        if (maxThumbnails < 0 || maxThumbnails > 100_000) {
            throw new IllegalArgumentException("--thumbnails must be between 0 and 100000, not " + maxThumbnails);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, not " + threads);
        }
        Path page = html.toAbsolutePath().normalize();
        if (page.getParent() == null || !Files.isDirectory(page.getParent())) {
            throw new IllegalArgumentException("--html " + html + ": folder " + page.getParent() + " does not exist");
        }
        AwsClients clients = uri.isS3() ? aws.get() : null;
        try (S3Client s3 = clients == null ? null : clients.s3()) {
            ObjectStore store = ObjectStores.open(uri, () -> s3);
            List<String> recordKeys = new ArrayList<>();
            List<String> rejectionKeys = new ArrayList<>();
            long[] removals = {0};
            store.list(OutputLayout.LIGHTLY_FOLDER + "ingest/", null, object -> {
                String key = object.key();
                if (!key.endsWith(".json")) {
                    return;
                }
                if (key.startsWith(OutputLayout.RECORDS)) {
                    recordKeys.add(key);
                } else if (key.startsWith(OutputLayout.REJECTED)) {
                    rejectionKeys.add(key);
                } else if (key.startsWith(OutputLayout.REMOVED)) {
                    removals[0]++;
                }
            });
            ReportData.Builder builder = new ReportData.Builder(maxThumbnails);
            ParallelReader reader = new ParallelReader(store, threads);
            reader.readAll(recordKeys, (key, node) -> builder.record(node));
            reader.readAll(rejectionKeys, (key, node) -> builder.rejection(node));
            ReportData data = builder.build(removals[0]);

            List<String> notes = new ArrayList<>();
            Map<String, String> embedded = embed ? embedded(store, data.thumbnails(), notes) : Map.of();
            Function<ReportData.Thumb, Optional<String>> link;
            if (!uri.isS3()) {
                Path root = uri.dir();
                link = thumb -> Optional.of(relativeLink(page.getParent(), root.resolve(thumb.key())));
                write(page, data, uri, embedded, link, notes);
            } else if (presign) {
                try (S3Presigner presigner = clients.s3Presigner()) {
                    Duration validity = Duration.ofHours(presignHours);
                    link = thumb -> Optional.of(presigner.presignGetObject(p -> p.signatureDuration(validity)
                            .getObjectRequest(g -> g.bucket(uri.bucket()).key(uri.resolve(thumb.key()))))
                            .url().toString());
                    notes.add("Thumbnail links are presigned URLs valid for " + presignHours + " h from "
                            + Instant.now() + ".");
                    write(page, data, uri, embedded, link, notes);
                }
            } else {
                if (embedded.size() < data.thumbnails().size()) {
                    notes.add("Thumbnails in S3 are named only: --presign links them, --embed puts them in the page.");
                }
                write(page, data, uri, embedded, thumb -> Optional.empty(), notes);
            }
            spec.commandLine().getOut().printf(
                    "report: %,d records, %,d rejections, %,d thumbnails on the sheet -> %s%n",
                    data.records(), data.rejections(), data.thumbnails().size(), page);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static void write(Path page, ReportData data, DatasourceUri uri, Map<String, String> embedded,
                              Function<ReportData.Thumb, Optional<String>> link, List<String> notes)
            throws IOException {
        String text = HtmlReport.render(data, uri.toString(), Instant.now(),
                thumb -> Optional.ofNullable(embedded.get(thumb.key())).or(() -> link.apply(thumb)), notes);
        // Written beside the target and renamed, so a browser never shows half a page.
        Path temp = Files.createTempFile(page.getParent(), ".report-", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Data URIs of the thumbnails, in sheet order, until the limit; a note says how many were left out. */
    private static Map<String, String> embedded(ObjectStore store, List<ReportData.Thumb> thumbs, List<String> notes)
            throws IOException {
        Map<String, String> uris = new HashMap<>();
        long total = 0;
        int missing = 0;
        int over = 0;
        for (ReportData.Thumb thumb : thumbs) {
            if (total >= EMBED_LIMIT_BYTES) {
                over++;
                continue;
            }
            byte[] bytes;
            try {
                bytes = store.read(thumb.key(), MAX_THUMBNAIL_BYTES);
            } catch (NoSuchObjectException | ObjectTooLargeException e) {
                missing++;
                continue;
            }
            total += bytes.length;
            uris.put(thumb.key(),
                    "data:" + thumb.contentType() + ";base64," + Base64.getEncoder().encodeToString(bytes));
        }
        if (over > 0) {
            notes.add(over + " thumbnails not embedded: the page holds at most " + EMBED_LIMIT_MB + " MB of them.");
        }
        if (missing > 0) {
            notes.add(missing + " thumbnails named by records could not be read (missing or over "
                    + MAX_THUMBNAIL_BYTES / 1_000_000 + " MB).");
        }
        return uris;
    }

    /** A relative URL from the page's folder to a file, each path segment percent-encoded. */
    static String relativeLink(Path from, Path to) {
        Path relative = from.relativize(to.toAbsolutePath().normalize());
        return StreamSupport.stream(relative.spliterator(), false)
                .map(segment -> URLEncoder.encode(segment.toString(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
