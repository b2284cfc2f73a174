package io.github.lightlys3ingest.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void eachFunctionReadsTheVariablesThatNameIt() {
        assertTrue(LambdaFunction.BACKFILL.environment().contains(EnvironmentVariable.INGEST_QUEUE_URL));
        assertFalse(LambdaFunction.INGEST.environment().contains(EnvironmentVariable.INGEST_QUEUE_URL));
        assertFalse(LambdaFunction.BACKFILL.environment().contains(EnvironmentVariable.UPLOAD_MODE));
        for (LambdaFunction function : LambdaFunction.values()) {
            assertTrue(function.environment().containsAll(
                    Set.of(EnvironmentVariable.INPUT_URI, EnvironmentVariable.OUTPUT_URI)), function.name());
        }
    }

    @Test
    void theTokenItselfIsNeverPartOfAFunctionsEnvironment() {
        for (LambdaFunction function : LambdaFunction.values()) {
            assertFalse(function.environment().contains(EnvironmentVariable.LIGHTLY_TOKEN), function.name());
        }
    }

    @Test
    void handlersAreClassAndMethodOfTheLambdaPackage() {
        for (LambdaFunction function : LambdaFunction.values()) {
            assertTrue(function.handler()
                    .matches("io\\.github\\.lightlys3ingest\\.lambda\\.\\w+Handler::handleRequest"),
                    function.handler());
            assertEquals(function.handler(), function.handlerClass() + "::handleRequest");
        }
    }

    @Test
    void outputKeysAreDistinct() {
        Set<String> keys = Arrays.stream(StackOutput.values()).map(StackOutput::key).collect(Collectors.toSet());
        assertEquals(StackOutput.values().length, keys.size());
    }

    @Test
    void uploadModeCodesParseBackCaseInsensitively() {
        for (UploadMode mode : UploadMode.values()) {
            assertEquals(mode, UploadMode.parse(mode.code()));
            assertEquals(mode, UploadMode.parse(" " + mode.code().toUpperCase() + " "));
        }
        assertEquals(UploadMode.THUMBNAILS, UploadMode.DEFAULT);
        var e = assertThrows(IllegalArgumentException.class, () -> UploadMode.parse("thumbnail"));
        assertTrue(e.getMessage().contains("'thumbnails' or 'metadata'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UploadMode.parse(null));
    }
}
