package io.github.lightlys3ingest.lightly;

import java.util.Map;

/**
 * Lightly's check of the dataset's datasource ({@code DatasourceConfigVerifyData}): the "lights".
 *
 * @param canRead      Lightly can read objects
 * @param canWrite     Lightly can write objects
 * @param canList      Lightly can list objects
 * @param canOverwrite Lightly can overwrite objects
 * @param errors       Lightly's explanation per failed permission ({@code canRead}, ...); empty when none
 */
public record DatasourceVerification(boolean canRead, boolean canWrite, boolean canList, boolean canOverwrite,
                                     Map<String, String> errors) {

    /** Copies the errors; null means none. */
    public DatasourceVerification {
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    /** Whether every permission was granted. */
    public boolean allGranted() {
        return canRead && canWrite && canList && canOverwrite;
    }
}
