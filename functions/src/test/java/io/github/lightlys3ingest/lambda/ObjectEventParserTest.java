package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectEventParserTest {
    private static final Map<String, String> VALUES = Map.of("bucket", "datalake",
            "key", "projects/farm-animals/my photo+1.jpg", "encodedKey", "projects/farm-animals/my+photo%2B1.jpg",
            "size", "1845211", "etag", "6d2f0c3e9a1b4c5d8e7f6a5b4c3d2e1f",
            "versionId", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    private static final String KEY = "projects/farm-animals/my photo+1.jpg";

    private static ObjectEventParser.Parsed parse(String fixture) {
        return ObjectEventParser.parse(EventFixtures.body(fixture, VALUES));
    }

    @Test
    void anS3NotificationGivesTheDecodedKeyWithItsVersion() {
        ObjectEventParser.Parsed parsed = parse("s3-created.json");

        assertEquals(List.of(new ObjectEvent("datalake", KEY, "6d2f0c3e9a1b4c5d8e7f6a5b4c3d2e1f", null, 1845211L,
                ObjectEvent.Kind.CREATED, "ObjectCreated:Put")), parsed.events());
        assertEquals(List.of(), parsed.unreadable());
        assertFalse(parsed.testEvent());
    }

    @Test
    void aRecordWithInvalidPercentEncodingIsUnreadableAndTheNextOneIsStillRead() {
        ObjectEventParser.Parsed parsed = parse("s3-bad-percent-encoding-then-valid.json");

        assertEquals(1, parsed.events().size());
        assertEquals(KEY, parsed.events().get(0).key());
        assertEquals(1, parsed.unreadable().size());
        assertTrue(parsed.unreadable().get(0).contains("100%ZZ.jpg")
                && parsed.unreadable().get(0).contains("invalid percent-encoding"), parsed.unreadable().get(0));
    }

    @Test
    void aRemovalIsAnEventOfItsOwnKind() {
        ObjectEvent removed = parse("s3-removed.json").events().get(0);

        assertEquals(ObjectEvent.Kind.REMOVED, removed.kind());
        assertEquals(KEY, removed.key());
        assertEquals("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", removed.versionId());
        assertEquals(null, removed.size());
        assertEquals(null, removed.eTag());
    }

    @Test
    void anSnsEnvelopeIsUnwrapped() {
        ObjectEventParser.Parsed parsed = parse("sns-s3-created.json");

        assertEquals(List.of(new ObjectEvent("datalake", KEY, "6d2f0c3e9a1b4c5d8e7f6a5b4c3d2e1f", null, 1845211L,
                ObjectEvent.Kind.CREATED, "ObjectCreated:Put")), parsed.events());
    }

    @Test
    void s3sTestEventThroughSnsIsRecognised() {
        ObjectEventParser.Parsed parsed = parse("sns-s3-test-event.json");

        assertTrue(parsed.testEvent());
        assertEquals(List.of(), parsed.events());
        assertEquals(List.of(), parsed.unreadable());
    }

    @Test
    void anEventBridgeObjectCreatedKeepsItsUnencodedKey() {
        ObjectEventParser.Parsed parsed = parse("eventbridge-object-created.json");

        assertEquals(List.of(new ObjectEvent("datalake", KEY, "6d2f0c3e9a1b4c5d8e7f6a5b4c3d2e1f",
                "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", 1845211L, ObjectEvent.Kind.CREATED, "Object Created")),
                parsed.events());
    }

    @Test
    void anEventBridgeKeyWithAPercentSignIsTakenLiterally() {
        ObjectEvent event = ObjectEventParser.parse(EventFixtures.body("eventbridge-object-created.json",
                Map.of("bucket", "b", "key", "100%ZZ sharp+.jpg", "size", "1", "etag", "e", "versionId", ""))).events()
                .get(0);

        assertEquals("100%ZZ sharp+.jpg", event.key());
        assertEquals(null, event.versionId());
    }

    @Test
    void anEventBridgeObjectDeletedIsARemoval() {
        ObjectEvent event = parse("eventbridge-object-deleted.json").events().get(0);

        assertEquals(ObjectEvent.Kind.REMOVED, event.kind());
        assertEquals(KEY, event.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"hello\": \"world\", \"Records\": \"no\"}", "[1, 2]", "not json", "{}",
        "{\"Records\": []}", "{\"Type\": \"Notification\", \"Message\": \"plain text\"}",
        "{\"Records\": [{\"eventSource\": \"aws:dynamodb\"}]}"})
    void anythingElseIsUnreadableWithAReason(String body) {
        ObjectEventParser.Parsed parsed = ObjectEventParser.parse(body);

        assertEquals(List.of(), parsed.events());
        assertEquals(1, parsed.unreadable().size(), parsed.toString());
        assertFalse(parsed.unreadable().get(0).isBlank());
    }

    @Test
    void theNotAnEventFixtureIsUnreadable() {
        assertEquals(1, parse("not-an-object-event.json").unreadable().size());
    }
}
