package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LightlySettingsTest {

    private static final String DATASET = "0123456789abcdef01234567";

    @Test
    void defaultsToLightlysPublicApiAndThirtySecondTimeout() {
        LightlySettings settings = LightlySettings.of("secret-token", DATASET);
        assertEquals(URI.create("https://api.lightly.ai"), settings.serverLocation());
        assertEquals(Duration.ofSeconds(30), settings.requestTimeout());
    }

    @Test
    void refusesMalformedDatasetIds() {
        for (String id : new String[] {"0123456789ABCDEF01234567", "0123456789abcdef0123456", "my-dataset", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LightlySettings.of("secret-token", id));
            assertTrue(e.getMessage().contains("24 lower-case hex"), e.getMessage());
        }
    }

    @Test
    void refusesBlankTokenAndNonHttpLocation() {
        assertThrows(IllegalArgumentException.class, () -> LightlySettings.of(" ", DATASET));
        assertThrows(IllegalArgumentException.class,
                () -> new LightlySettings(URI.create("ftp://api.lightly.ai"), "t", DATASET, null));
        assertThrows(IllegalArgumentException.class,
                () -> new LightlySettings(null, "t", DATASET, Duration.ZERO));
    }

    @Test
    void neverShowsTheToken() {
        LightlySettings settings = LightlySettings.of("secret-token", DATASET);
        assertFalse(settings.toString().contains("secret-token"), settings.toString());
        assertEquals("GET /x?token=***", settings.mask("GET /x?token=secret-token"));
    }

    @Test
    void masksTheTokenRawAndUrlEncodedAndNamesOnlySchemeHostAndPort() {
        LightlySettings settings = new LightlySettings(URI.create("https://user:pw@api.example.com/base"),
                "a+b/c=d e", DATASET, null);

        assertEquals("*** *** *** *** ***", settings.mask("a+b/c=d e a%2Bb%2Fc%3Dd+e a%2Bb%2Fc%3Dd%20e "
                + "a%2bb%2fc%3dd%20e a%2bb%2fc%3dd+e"));
        assertEquals("https://api.example.com:443", settings.server());
    }
}
