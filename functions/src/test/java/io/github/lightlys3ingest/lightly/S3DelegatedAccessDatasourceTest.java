package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3DelegatedAccessDatasourceTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/Lightly-S3-Integration";
    static final String EXTERNAL_ID = "farm-animals-2024";

    @Test
    void serializesExactlyTheApiFieldsWithAnExplicitNullThumbSuffix() throws Exception {
        JsonNode json = new ObjectMapper().valueToTree(new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT,
                "s3://datalake/projects/farm-animals/", "eu-central-1", ROLE, EXTERNAL_ID, null));
        assertEquals("S3DelegatedAccess", json.path("type").asText());
        assertEquals("INPUT", json.path("purpose").asText());
        assertEquals(ROLE, json.path("s3ARN").asText());
        assertTrue(json.has("thumbSuffix") && json.get("thumbSuffix").isNull(), json.toString());
        assertEquals(7, json.size(), json.toString());
    }

    @Test
    void rejectsRoleArnsThatAreNotIamRoles() {
        for (String arn : new String[] {"arn:aws:iam::12345:role/x", "arn:aws:iam::123456789012:user/bob",
                "arn:aws:s3:::bucket", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> datasource(
                    "s3://bucket/prefix/", "eu-central-1", arn, EXTERNAL_ID));
            assertTrue(e.getMessage().contains("role ARN"), e.getMessage());
        }
    }

    @Test
    void rejectsShortOrOddExternalIdsWithoutPrintingThem() {
        for (String externalId : new String[] {"short", "has spaces in it", "semi;colon;id", "quote\"external"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> datasource("s3://bucket/prefix/", "eu-central-1", ROLE, externalId));
            assertTrue(e.getMessage().contains("external id"), e.getMessage());
            assertFalse(e.getMessage().contains(externalId), e.getMessage());
        }
    }

    @Test
    void rejectsPathsThatAreNotS3Urls() {
        for (String path : new String[] {"bucket/prefix/", "s3:/bucket", "https://bucket.s3.amazonaws.com/", "s3://"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> datasource(path, "eu-central-1", ROLE, EXTERNAL_ID));
            assertTrue(e.getMessage().contains("s3://bucket/prefix/"), e.getMessage());
        }
    }

    @Test
    void rejectsRegionsLightlyDoesNotKnow() {
        assertThrows(IllegalArgumentException.class,
                () -> datasource("s3://bucket/", "eu-centrall-1", ROLE, EXTERNAL_ID));
    }

    @Test
    void rejectsBlankThumbSuffix() {
        assertThrows(IllegalArgumentException.class, () -> new S3DelegatedAccessDatasource(DatasourcePurpose.LIGHTLY,
                "s3://bucket/out/", "eu-central-1", ROLE, EXTERNAL_ID, " "));
    }

    private static S3DelegatedAccessDatasource datasource(String path, String region, String arn, String externalId) {
        return new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT, path, region, arn, externalId,
                S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX);
    }
}
