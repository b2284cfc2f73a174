package io.github.lightlys3ingest.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The event bodies in {@code src/test/resources/events/}, with their {@code ${name}} placeholders filled in. */
final class EventFixtures {
    private EventFixtures() {
    }

    static String body(String fixture, Map<String, String> values) {
        String text;
        try (InputStream in = EventFixtures.class.getResourceAsStream("/events/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /events/" + fixture);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        if (text.contains("${")) {
            throw new IllegalArgumentException(fixture + " still has a placeholder: " + text);
        }
        return text;
    }
}
