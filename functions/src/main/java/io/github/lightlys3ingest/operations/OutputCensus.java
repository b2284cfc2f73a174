package io.github.lightlys3ingest.operations;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the output datasource holds, from one listing of {@code .lightly/ingest/} and no object reads: the
 * numbers of records, rejections and removal notes, and the claims that no record or rejection has settled
 * yet. Every ingested version leaves its claim behind, so a claim is <em>open</em> only when no record or
 * rejection of its file was written at or after it; an open claim older than the lease belongs to a worker
 * that died (or is still retrying) and is flagged stale.
 *
 * @param records    record objects
 * @param rejections rejection objects
 * @param removals   removal notes
 * @param claims     claim objects, settled or not
 * @param open       claims not followed by a record or rejection, oldest first
 * @param leaseSeconds the claim lease the stale flag is judged by
 * @param listed     objects listed
 * @param takenAt    when the listing ended
 */
public record OutputCensus(long records, long rejections, long removals, long claims, List<OpenClaim> open,
                           long leaseSeconds, long listed, Instant takenAt) {

    public OutputCensus {
        open = List.copyOf(open);
    }

    /**
     * A claim with no record or rejection after it.
     *
     * @param fileName  the object's file name
     * @param eTag      the claimed version (eTag, with {@code ~versionId} where the bucket keeps versions)
     * @param claimedAt the claim object's last-modified time
     * @param ageSeconds how long ago that was
     * @param stale      older than the lease: the worker is gone; the next delivery takes the object over
     */
    public record OpenClaim(String fileName, String eTag, Instant claimedAt, long ageSeconds, boolean stale) {
    }

    /** Open claims older than the lease. */
    @JsonProperty
    public long stale() {
        return open.stream().filter(OpenClaim::stale).count();
    }

    /**
     * Lists the output datasource's ingest folder once.
     *
     * @param now   the time ages are measured to
     * @param lease age after which an open claim is stale ({@code CLAIM_LEASE_SECONDS})
     */
    public static OutputCensus take(ObjectStore output, Instant now, Duration lease) throws IOException {
        Tally tally = new Tally();
        output.list(OutputLayout.LIGHTLY_FOLDER + "ingest/", null, tally::add);
        List<OpenClaim> open = new ArrayList<>();
        for (ObjectInfo claim : tally.claims) {
            String name = claim.key().substring(OutputLayout.CLAIMS.length(), claim.key().length() - ".json".length());
            // The eTag and version id never contain '@'; the file name may.
            int at = name.lastIndexOf('@');
            String fileName = at < 0 ? name : name.substring(0, at);
            Instant settled = tally.settledAt.get(fileName);
            Instant claimedAt = claim.lastModified();
            if (settled != null && (claimedAt == null || !settled.isBefore(claimedAt))) {
                continue;
            }
            Duration age = claimedAt == null ? Duration.ZERO : Duration.between(claimedAt, now);
            open.add(new OpenClaim(fileName, at < 0 ? null : name.substring(at + 1), claimedAt, age.toSeconds(),
                    age.compareTo(lease) > 0));
        }
        open.sort(Comparator.comparingLong(OpenClaim::ageSeconds).reversed());
        return new OutputCensus(tally.records, tally.rejections, tally.removals, tally.claims.size(), open,
                lease.toSeconds(), tally.listed, now);
    }

    /** Counts while the listing runs; keeps only what matching claims to records needs. */
    private static final class Tally {
        final Map<String, Instant> settledAt = new HashMap<>();
        final List<ObjectInfo> claims = new ArrayList<>();
        long records;
        long rejections;
        long removals;
        long listed;

        void add(ObjectInfo object) {
            listed++;
            String key = object.key();
            if (!key.endsWith(".json")) {
                return;
            }
            if (key.startsWith(OutputLayout.CLAIMS)) {
                claims.add(object);
            } else if (key.startsWith(OutputLayout.RECORDS)) {
                records++;
                settle(key.substring(OutputLayout.RECORDS.length()), object);
            } else if (key.startsWith(OutputLayout.REJECTED)) {
                rejections++;
                settle(key.substring(OutputLayout.REJECTED.length()), object);
            } else if (key.startsWith(OutputLayout.REMOVED)) {
                removals++;
            }
        }

        private void settle(String nameDotJson, ObjectInfo object) {
            String fileName = nameDotJson.substring(0, nameDotJson.length() - ".json".length());
            Instant at = object.lastModified() == null ? Instant.MAX : object.lastModified();
            settledAt.merge(fileName, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }
}
