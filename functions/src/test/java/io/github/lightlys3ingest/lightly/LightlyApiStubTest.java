package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stub itself: it must refuse what Lightly would refuse, or the client tests prove nothing. */
class LightlyApiStubTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LightlyApiStub stub = LightlyApiStub.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void acceptsAValidSampleAndAnswersWithItsId() throws Exception {
        HttpResponse<String> response = post("/samples", "{\"fileName\":\"a.jpg\",\"metaData\":{\"shape\":[4,6,3]}}");
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().matches("\\{\"id\":\"[a-f0-9]{24}\"}"), response.body());
        assertEquals(List.of(), stub.validationErrors());
        assertEquals(List.of(), stub.responseValidationErrors());
    }

    @Test
    void rejectsASampleWithAFieldTheApiDoesNotDefine() throws Exception {
        HttpResponse<String> response = post("/samples", "{\"fileName\":\"a.jpg\",\"orientation\":6}");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("orientation"), response.body());
        assertEquals(1, stub.validationErrors().size());
        assertTrue(stub.validationErrors().get(0).contains("additionalProperties"), stub.validationErrors().toString());
        assertEquals(0, stub.samplesByFileName().size());
    }

    @Test
    void rejectsASampleWithoutFileName() throws Exception {
        HttpResponse<String> response = post("/samples", "{\"thumbName\":\"a_thumb.webp\"}");
        assertEquals(400, response.statusCode());
        assertTrue(stub.validationErrors().get(0).contains("fileName"), stub.validationErrors().toString());
    }

    @Test
    void rejectsMetadataOutsideTheDocumentsRanges() throws Exception {
        HttpResponse<String> response = post("/samples", "{\"fileName\":\"a.jpg\",\"metaData\":{\"mean\":[0.5,0.5]}}");
        assertEquals(400, response.statusCode());
        assertTrue(stub.validationErrors().get(0).contains("minItems"), stub.validationErrors().toString());
    }

    @Test
    void rejectsAQueryParameterTheApiDoesNotDefine() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri("/samples/partial", "&mode=ids&limit=5")).GET().build());
        assertEquals(400, response.statusCode());
        assertTrue(stub.validationErrors().get(0).contains("limit"), stub.validationErrors().toString());
    }

    @Test
    void refusesARequestWithoutTokenAndRecordsIt() throws Exception {
        URI noToken = URI.create(stub.baseUri() + "/v1/datasets/" + stub.datasetId() + "/tags");
        HttpResponse<String> response = send(HttpRequest.newBuilder(noToken).GET().build());
        assertEquals(401, response.statusCode());
        assertTrue(stub.validationErrors().get(0).contains("security"), stub.validationErrors().toString());
    }

    @Test
    void answersADuplicateFileNameWithConflict() throws Exception {
        stub.addSample("a.jpg");
        HttpResponse<String> response = post("/samples", "{\"fileName\":\"a.jpg\"}");
        assertEquals(409, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"CONFLICT\""), response.body());
    }

    @Test
    void resetClosesTheConnectionSoTheJdkClientSeesAnIOException() {
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, LightlyApiStub.Fault.RESET);
        assertThrows(IOException.class, () -> post("/samples", "{\"fileName\":\"a.jpg\"}"));
        assertEquals(0, stub.samplesByFileName().size());
    }

    @Test
    void lostResponseCreatesTheSampleButAnswersNothing() {
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, LightlyApiStub.Fault.LOST_RESPONSE);
        assertThrows(IOException.class, () -> post("/samples", "{\"fileName\":\"a.jpg\"}"));
        assertEquals(1, stub.samplesByFileName().size());
    }

    @Test
    void theSameSeedGivesTheSameFaults() throws Exception {
        LightlyApiStub.FaultPlan plan = LightlyApiStub.FaultPlan.seeded(7).withTooManyRequests(0.3)
                .withServerError(0.3);
        List<Integer> first = statuses(stub, plan);
        try (LightlyApiStub other = LightlyApiStub.start()) {
            assertEquals(first, statuses(other, plan));
        }
        assertTrue(first.contains(429) && first.contains(500) && first.contains(200), first.toString());
    }

    private List<Integer> statuses(LightlyApiStub target, LightlyApiStub.FaultPlan plan) throws Exception {
        target.faultPlan(plan);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            URI tags = URI.create(target.baseUri() + "/v1/datasets/" + target.datasetId() + "/tags?token="
                    + target.token());
            statuses.add(send(HttpRequest.newBuilder(tags).GET().build()).statusCode());
        }
        return statuses;
    }

    private HttpResponse<String> post(String suffix, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(suffix, ""))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String suffix, String query) {
        return URI.create(stub.baseUri() + "/v1/datasets/" + stub.datasetId() + suffix + "?token=" + stub.token()
                + query);
    }
}
