package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RoleArnTest {

    @Test
    void theNameIsTheLastPartOfThePath() {
        RoleArn role = new RoleArn("arn:aws:iam::123456789012:role/service/lightly/Lightly-S3-Integration");

        assertEquals("Lightly-S3-Integration", role.name());
        assertEquals("123456789012", role.accountId());
    }

    @Test
    void otherArnsAreRefused() {
        for (String bad : new String[] {"Lightly-S3-Integration", "arn:aws:iam::123456789012:user/alice",
                "arn:aws:iam::1234:role/Lightly", "arn:aws:s3:::bucket", "arn:aws:iam::123456789012:role/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RoleArn(bad), bad);
            assertEquals("role ARN must look like arn:aws:iam::123456789012:role/Lightly-S3-Integration, got '"
                    + bad + "'", e.getMessage());
        }
    }
}
