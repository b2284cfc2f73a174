package io.github.lightlys3ingest.access;

import io.github.lightlys3ingest.lightly.ConfiguredDatasource;
import io.github.lightlys3ingest.lightly.S3DelegatedAccessDatasource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code configure-lightly} has to send: for each wanted datasource, compared with what the dataset
 * has for the same purpose, whether a {@code PUT .../datasource} is needed. Lightly's list of datasources
 * may leave out the external ID; a datasource identical in everything else is then sent again, since a
 * changed external ID could not be seen otherwise.
 */
public final class DatasourcePlan {

    /** What to do with one datasource. */
    public enum Action {
        /** The dataset has no datasource for this purpose. */
        CREATE,
        /** It has one that differs. */
        UPDATE,
        /** It has one that matches in everything Lightly returned, but not the external ID, which it did not return. */
        RESEND,
        /** It has exactly this one: nothing to send. */
        UNCHANGED;

        /** Whether the datasource is PUT. */
        public boolean sends() {
            return this != UNCHANGED;
        }
    }

    /**
     * @param desired     the datasource wanted
     * @param action      what to do
     * @param differences for UPDATE the fields that differ, as {@code field: old -> new} (the external ID
     *                    without its values); empty otherwise
     */
    public record Change(S3DelegatedAccessDatasource desired, Action action, List<String> differences) {
        public Change {
            Objects.requireNonNull(desired, "desired");
            Objects.requireNonNull(action, "action");
            differences = List.copyOf(differences);
        }
    }

    private DatasourcePlan() {
    }

    /** One change per wanted datasource, in the same order. */
    public static List<Change> plan(List<S3DelegatedAccessDatasource> desired, List<ConfiguredDatasource> current) {
        List<Change> changes = new ArrayList<>();
        for (S3DelegatedAccessDatasource want : desired) {
            Optional<ConfiguredDatasource> have = current.stream().filter(c -> c.purpose() == want.purpose())
                    .findFirst();
            changes.add(have.map(h -> compare(want, h)).orElseGet(() -> new Change(want, Action.CREATE, List.of())));
        }
        return changes;
    }

    private static Change compare(S3DelegatedAccessDatasource want, ConfiguredDatasource have) {
        List<String> differences = new ArrayList<>();
        difference(differences, "type", have.type(), want.type());
        difference(differences, "fullPath", folder(have.fullPath()), folder(want.fullPath()));
        difference(differences, "s3Region", have.s3Region(), want.s3Region());
        difference(differences, "s3ARN", have.s3ARN(), want.s3ARN());
        difference(differences, "thumbSuffix", have.thumbSuffix(), want.thumbSuffix());
        if (have.s3ExternalId() != null && !have.s3ExternalId().equals(want.s3ExternalId())) {
            differences.add("s3ExternalId: changed");
        }
        if (!differences.isEmpty()) {
            return new Change(want, Action.UPDATE, differences);
        }
        return new Change(want, have.s3ExternalId() == null ? Action.RESEND : Action.UNCHANGED, List.of());
    }

    private static void difference(List<String> differences, String field, String have, String want) {
        if (!Objects.equals(have, want)) {
            differences.add(field + ": " + have + " -> " + want);
        }
    }

    /** {@code s3://bucket/prefix} and {@code s3://bucket/prefix/} name the same folder. */
    private static String folder(String path) {
        return path == null || path.endsWith("/") ? path : path + "/";
    }
}
