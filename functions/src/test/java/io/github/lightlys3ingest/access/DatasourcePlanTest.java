package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.lightly.ConfiguredDatasource;
import io.github.lightlys3ingest.lightly.DatasourcePurpose;
import io.github.lightlys3ingest.lightly.S3DelegatedAccessDatasource;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasourcePlanTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/Lightly-S3-Integration";
    private static final String EXTERNAL_ID = "farm-animals-2024-ext";
    private static final S3DelegatedAccessDatasource INPUT = new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT,
            "s3://datalake/farm/", "eu-central-1", ROLE, EXTERNAL_ID, S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX);
    private static final S3DelegatedAccessDatasource OUTPUT = new S3DelegatedAccessDatasource(DatasourcePurpose.LIGHTLY,
            "s3://datalake/lightly/", "eu-central-1", ROLE, EXTERNAL_ID,
            S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX);

    private static ConfiguredDatasource configured(S3DelegatedAccessDatasource d, String fullPath, String externalId) {
        return new ConfiguredDatasource("64f0c0ffee0000000000abcd", d.type(), d.purpose(), fullPath, d.thumbSuffix(),
                d.s3Region(), d.s3ARN(), externalId);
    }

    @Test
    void aMissingPurposeIsCreated() {
        List<DatasourcePlan.Change> changes = DatasourcePlan.plan(List.of(INPUT, OUTPUT),
                List.of(configured(INPUT, INPUT.fullPath(), EXTERNAL_ID)));

        assertEquals(DatasourcePlan.Action.UNCHANGED, changes.get(0).action());
        assertEquals(DatasourcePlan.Action.CREATE, changes.get(1).action());
        assertEquals(OUTPUT, changes.get(1).desired());
    }

    @Test
    void anIdenticalDatasourceWhoseExternalIdLightlyDidNotReturnIsSentAgain() {
        List<DatasourcePlan.Change> changes = DatasourcePlan.plan(List.of(INPUT),
                List.of(configured(INPUT, INPUT.fullPath(), null)));

        assertEquals(DatasourcePlan.Action.RESEND, changes.get(0).action());
        assertEquals(true, changes.get(0).action().sends());
    }

    @Test
    void aPathWithoutTrailingSlashIsTheSameFolder() {
        List<DatasourcePlan.Change> changes = DatasourcePlan.plan(List.of(INPUT),
                List.of(configured(INPUT, "s3://datalake/farm", EXTERNAL_ID)));

        assertEquals(DatasourcePlan.Action.UNCHANGED, changes.get(0).action());
        assertEquals(false, changes.get(0).action().sends());
    }

    @Test
    void differencesAreListedWithoutShowingExternalIds() {
        ConfiguredDatasource old = new ConfiguredDatasource(null, "S3", DatasourcePurpose.LIGHTLY,
                "s3://datalake/old/", null, "us-east-1", null, "old-external-id");

        DatasourcePlan.Change change = DatasourcePlan.plan(List.of(OUTPUT), List.of(old)).get(0);

        assertEquals(DatasourcePlan.Action.UPDATE, change.action());
        assertEquals(List.of("type: S3 -> S3DelegatedAccess", "fullPath: s3://datalake/old/ -> s3://datalake/lightly/",
                "s3Region: us-east-1 -> eu-central-1", "s3ARN: null -> " + ROLE,
                "thumbSuffix: null -> " + S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX, "s3ExternalId: changed"),
                change.differences());
    }
}
